import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireOdooSettings } from '../../src/config/load.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'odoo-mcp-config-'));
}

function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

/** The reference project's own example file, as its users have it. */
const REFERENCE_FILE = {
  mcpServers: { 'mcp-odoo-panda': { command: '/usr/bin/python3', args: ['mcp/server.py'] } },
  odoo_url: 'http://localhost:8069',
  database: 'odoo',
  username: 'admin',
  api_key: 'admin',
  protocol: 'xmlrpc',
  connection_type: 'stdio',
  transport_type: 'stdio',
  requests_per_minute: 120,
  rate_limit_max_wait_seconds: 5,
  pool_size: 5,
  timeout: 30,
  session_timeout_minutes: 60,
  http: { host: '0.0.0.0', port: 8080, streamable: false },
  logging: {
    level: 'INFO',
    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s',
    handlers: [
      { type: 'StreamHandler', level: 'INFO' },
      { type: 'FileHandler', filename: 'server.log', level: 'DEBUG' },
    ],
  },
};

describe('loadConfig', () => {
  it('applies defaults with no sources at all', () => {
    const { config, file, warnings } = loadConfig({ env: {}, cwd: tempDir() });
    expect(file).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(config.protocol).toBe('auto');
    expect(config.connection_type).toBe('stdio');
    expect(config.pool_size).toBe(5);
    expect(config.timeout).toBe(30);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080, streamable: true });
    expect(config.logging.handlers).toEqual([{ type: 'StreamHandler' }]);
    expect(config.cache).toEqual({ enabled: true, ttl: 300, max_size: 1000 });
  });

  it("reads the reference project's config.json unchanged, without warnings", () => {
    const dir = tempDir();
    const file = writeJson(dir, 'config.json', REFERENCE_FILE);
    const { config, warnings } = loadConfig({ file, env: {}, cwd: dir });
    expect(warnings).toEqual([]);
    expect(config.odoo_url).toBe('http://localhost:8069');
    expect(config.protocol).toBe('xmlrpc');
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 8080, streamable: false });
    expect(config.logging.handlers[1]).toEqual({
      type: 'FileHandler',
      filename: 'server.log',
      level: 'DEBUG',
    });
  });

  it('finds the default files: $ODOO_MCP_CONFIG, ./odoo-mcp.json, then the reference path', () => {
    const dir = tempDir();
    writeJson(dir, 'odoo_mcp/config/config.json', { database: 'from-reference-path' });
    expect(loadConfig({ env: {}, cwd: dir }).config.database).toBe('from-reference-path');
    writeJson(dir, 'odoo-mcp.json', { database: 'from-cwd' });
    expect(loadConfig({ env: {}, cwd: dir }).config.database).toBe('from-cwd');
    const other = writeJson(dir, 'elsewhere.json', { database: 'from-env-path' });
    expect(loadConfig({ env: { ODOO_MCP_CONFIG: other }, cwd: dir }).config.database).toBe('from-env-path');
  });

  it('layers defaults < file < environment < flags', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'c.json', {
      database: 'file',
      timeout: 10,
      http: { port: 1000 },
      username: 'u-file',
    });
    const { config } = loadConfig({
      file,
      cwd: dir,
      env: {
        ODOO_DB: 'env',
        ODOO_MCP_TIMEOUT: '20',
        ODOO_MCP_HTTP_PORT: '2000',
        ODOO_MCP_CACHE_ENABLED: 'false',
      },
      overrides: { database: 'flag', http: { host: '::1' } },
    });
    expect(config.database).toBe('flag');
    expect(config.timeout).toBe(20);
    expect(config.http).toMatchObject({ host: '::1', port: 2000, streamable: true });
    expect(config.username).toBe('u-file');
    expect(config.cache.enabled).toBe(false);
  });

  it('maps the short Odoo variables', () => {
    const { config } = loadConfig({
      cwd: tempDir(),
      env: {
        ODOO_URL: 'https://x.example.com',
        ODOO_DB: 'db',
        ODOO_USERNAME: 'me',
        ODOO_API_KEY: 'k'.repeat(40),
        ODOO_PASSWORD: 'pw-secret',
        ODOO_PROTOCOL: 'json2',
      },
    });
    expect(config).toMatchObject({
      odoo_url: 'https://x.example.com',
      database: 'db',
      username: 'me',
      api_key: 'k'.repeat(40),
      password: 'pw-secret',
      protocol: 'json2',
    });
  });

  it('warns about unknown keys and suggests the closest known key', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'c.json', {
      odoo_ulr: 'http://x',
      http: { prot: 1 },
      totally_unrelated_thing: 1,
    });
    const { warnings } = loadConfig({ file, env: {}, cwd: dir });
    expect(warnings).toContain('config: unknown key "odoo_ulr" is ignored; did you mean "odoo_url"?');
    expect(warnings).toContain('config: unknown key "http.prot" is ignored; did you mean "http.port"?');
    expect(warnings).toContain('config: unknown key "totally_unrelated_thing" is ignored.');
  });

  it('reports every bad value on its own line with the key, the value and the fix', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'c.json', {
      protocol: 'soap',
      pool_size: 0,
      timeout: 'slow',
      odoo_url: 'not a url',
      logging: { level: 'LOUD', handlers: [{ type: 'FileHandler' }] },
    });
    let error: unknown;
    try {
      loadConfig({ file, env: {}, cwd: dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toContain(
      'config: protocol: got "soap"; use one of "auto", "xmlrpc", "jsonrpc", "json2".',
    );
    expect(problems).toContain('config: pool_size: got 0; use a value of at least 1.');
    expect(problems).toContain('config: timeout: got "slow"; use a number.');
    expect(problems).toContain(
      'config: odoo_url: got "not a url"; use a full URL such as http://localhost:8069.',
    );
    expect(problems.some((p) => p.startsWith('config: logging.level: got "LOUD"'))).toBe(true);
    expect(problems.some((p) => p.startsWith('config: logging.handlers.0.filename:'))).toBe(true);
    expect(problems.join('\n')).not.toMatch(/at .*\.ts:\d+/);
  });

  it('never echoes a secret in an error', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'c.json', { api_key: 12345678901234, password: ['hunter2-secret'] });
    try {
      loadConfig({ file, env: {}, cwd: dir });
      expect.unreachable();
    } catch (err) {
      const text = (err as ConfigError).problems.join('\n');
      expect(text).toContain('api_key: got (hidden)');
      expect(text).not.toContain('12345678901234');
      expect(text).not.toContain('hunter2-secret');
    }
  });

  it('reports unreadable and malformed files with a fix', () => {
    const dir = tempDir();
    expect(() => loadConfig({ file: join(dir, 'missing.json'), env: {}, cwd: dir })).toThrow(
      /cannot be read \(ENOENT\); check the path/,
    );
    const bad = writeJson(dir, 'bad.json', '{ "database": "x", }');
    expect(() => loadConfig({ file: bad, env: {}, cwd: dir })).toThrow(/not valid JSON .*trailing commas/);
    const arr = writeJson(dir, 'arr.json', '[1]');
    expect(() => loadConfig({ file: arr, env: {}, cwd: dir })).toThrow(/must be a JSON object/);
  });

  it('rejects bad environment values by variable name', () => {
    expect(() => loadConfig({ env: { ODOO_MCP_POOL_SIZE: 'many' }, cwd: tempDir() })).toThrow(
      'ODOO_MCP_POOL_SIZE: expected a number, got "many"',
    );
  });

  it('accepts Python level spellings in any case', () => {
    const { config } = loadConfig({ env: { ODOO_MCP_LOGGING_LEVEL: 'warn' }, cwd: tempDir() });
    expect(config.logging.level).toBe('WARNING');
  });

  it('requireOdooSettings says what is missing and how to set it', () => {
    const { config } = loadConfig({ env: {}, cwd: tempDir() });
    expect(() => requireOdooSettings(config)).toThrow(
      /odoo_url is missing; set "odoo_url" in the config file or ODOO_URL/,
    );
    const withUrl = {
      ...config,
      odoo_url: 'http://x',
      username: 'u',
      protocol: 'json2' as const,
      password: 'p',
    };
    expect(() => requireOdooSettings(withUrl)).toThrow(/protocol "json2" needs an API key/);
  });
});
