import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { createLogger, formatRecord } from '../../src/logging/logger.js';
import { createRedactor } from '../../src/logging/redact.js';

function capture() {
  const lines: string[] = [];
  return { lines, sink: { write: (s: string) => lines.push(s) } };
}

const logging = (over: Partial<Config['logging']> = {}): Config['logging'] => ({
  level: 'INFO',
  handlers: [{ type: 'StreamHandler' }],
  ...over,
});

describe('redaction', () => {
  const key = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
  const redact = createRedactor([key, 'hunter2-password']);

  it.each([
    [`calling with ${key}`, key],
    ['password is hunter2-password', 'hunter2-password'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'eyJhbGciOiJIUzI1NiJ9'],
    [
      'authorization: bearer 0123456789abcdef0123456789abcdef01234567',
      '0123456789abcdef0123456789abcdef01234567',
    ],
    ['Cookie: session_id=9f8e7d6c5b4a; frontend_lang=en_US', '9f8e7d6c5b4a'],
    ['{"password":"another-secret","db":"x"}', 'another-secret'],
    ['{"api_key": "unknown-key-value"}', 'unknown-key-value'],
    ['X-Odoo-Api-Key: kkkkkkkkkkkkkkkkkk', 'kkkkkkkkkkkkkkkkkk'],
    ['https://admin:s3cr3tpass@odoo.example.com/xmlrpc', 's3cr3tpass'],
    ['?api_key=querysecret&x=1', 'querysecret'],
  ])('masks %s', (text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('search_read res.partner [["name","ilike","Deco"]] in 12 ms')).toBe(
      'search_read res.partner [["name","ilike","Deco"]] in 12 ms',
    );
  });
});

describe('createLogger', () => {
  it('writes JSON lines by default and redacts secrets in messages and fields', () => {
    const { lines, sink } = capture();
    const { logger } = createLogger(logging(), { secrets: ['my-configured-api-key'], stderr: sink });
    logger.info(
      { headers: { authorization: 'bearer abcdefghijklmnop' }, api_key: 'my-configured-api-key' },
      'login with my-configured-api-key',
    );
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] as string);
    expect(record.msg).toBe('login with [REDACTED]');
    expect(lines[0]).not.toContain('my-configured-api-key');
    expect(lines[0]).not.toContain('abcdefghijklmnop');
  });

  it("formats with the reference's %(...)s placeholders and Python level names", () => {
    const { lines, sink } = capture();
    const { logger } = createLogger(
      logging({ format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s' }),
      { stderr: sink },
    );
    logger.warn('disk almost full');
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - odoo_mcp - WARNING - disk almost full\n$/,
    );
  });

  it('honours per-handler levels and writes FileHandler output to its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'odoo-mcp-log-'));
    const filename = join(dir, 'sub', 'server.log');
    const { lines, sink } = capture();
    const { logger } = createLogger(
      logging({
        level: 'INFO',
        handlers: [
          { type: 'StreamHandler', level: 'WARNING' },
          { type: 'FileHandler', filename, level: 'DEBUG', format: '%(levelname)-8s|%(message)s' },
        ],
      }),
      { stderr: sink },
    );
    logger.debug('detail');
    logger.info('progress');
    logger.error('broken');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['broken']);
    expect(readFileSync(filename, 'utf8')).toBe('DEBUG   |detail\nINFO    |progress\nERROR   |broken\n');
  });

  it('formatRecord appends structured fields', () => {
    expect(
      formatRecord('%(levelname)s %(message)s', { level: 30, msg: 'call', model: 'res.partner', ms: 3 }),
    ).toBe('INFO call {"model":"res.partner","ms":3}');
  });
});
