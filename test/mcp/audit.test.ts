// The audit log of writes: an intent line on disk before Odoo is asked, an outcome line after,
// tied by a call id; caller, tool, model, method and ids, never values unless audit.values is on.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { closeAuditLogs } from '../../src/logging/audit.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type Harness, startHarness } from '../helpers/mcp.js';
import { connectStreamable, startHttp, textOf } from '../http/helpers.js';

interface Line {
  time: string;
  event: 'intent' | 'outcome';
  call: string;
  tool?: string;
  model?: string;
  method?: string;
  ids?: number[];
  fields?: string[];
  values?: unknown;
  caller?: { client?: string; session?: string; login?: string };
  outcome?: 'applied' | 'failed' | 'unknown';
  error?: { type: string; message: string };
  note?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'odoo-mcp-audit-'));
const read = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
/** The intent and outcome lines of the one call of `tool` after line `from`. */
const callOf = (lines: Line[], tool: string) => {
  const intent = lines.find((l) => l.event === 'intent' && l.tool === tool);
  const outcome = lines.find((l) => l.event === 'outcome' && l.call === intent?.call);
  return { intent, outcome };
};
const SECRET_PHONE = '+32 2 555 93 17';

afterAll(() => {
  closeAuditLogs();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log over stdio, without values', () => {
  const file = join(dir, 'stdio.jsonl');
  let emulator: Emulator;
  let proxy: FaultProxy;
  let h: Harness;
  beforeAll(async () => {
    emulator = await startEmulator({ odooVersion: '19.0' });
    proxy = await startFaultProxy(emulator.url);
    h = await startHarness({
      emulator,
      era: 'legacy',
      config: { odoo_url: proxy.url, timeout: 0.4, audit: { file } },
    });
  });
  afterAll(async () => {
    await h.close();
    await proxy.close();
    await emulator.close();
  });
  const call = (name: string, args: Record<string, unknown>) => h.client.callTool({ name, arguments: args });

  it('records each write tool call as intent then outcome, with ids and no values', async () => {
    const created = await call('create_records', {
      model: 'res.partner',
      values: { name: 'Audited', phone: SECRET_PHONE },
    });
    const [id] = (created.structuredContent as { ids: number[] }).ids;
    await call('update_records', { model: 'res.partner', ids: [id], values: { comment: 'private note' } });
    await call('delete_records', { model: 'res.partner', ids: [id] });
    await call('search_records', { model: 'res.partner', limit: 1 });

    const lines = read(file);
    const create = callOf(lines, 'create_records');
    expect(create.intent).toMatchObject({
      model: 'res.partner',
      method: 'create',
      fields: ['name', 'phone'],
    });
    expect(create.intent?.caller?.login).toBe('admin');
    expect(create.outcome).toMatchObject({ outcome: 'applied', ids: [id] });
    expect(lines.indexOf(create.intent as Line)).toBeLessThan(lines.indexOf(create.outcome as Line));
    expect(callOf(lines, 'update_records').intent).toMatchObject({
      method: 'write',
      ids: [id],
      fields: ['comment'],
    });
    expect(callOf(lines, 'delete_records').outcome).toMatchObject({ outcome: 'applied', ids: [id] });
    // Reads are not writes.
    expect(lines.some((l) => l.tool === 'search_records')).toBe(false);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET_PHONE);
    expect(text).not.toContain('private note');
  });

  it("records a failed write with Odoo's error", async () => {
    const r = await call('update_records', { model: 'res.partner', ids: [999_999], values: { name: 'x' } });
    expect(r.isError).toBe(true);
    const failed = read(file).filter((l) => l.event === 'outcome' && l.outcome === 'failed');
    expect(failed.at(-1)?.error?.type).toBeTruthy();
  });

  it('has the intent on disk while Odoo is still working, and the unknown outcome after', async () => {
    proxy.arm('delay', 'copy', { delayMs: 900 });
    const pending = call('call_method', { model: 'res.partner', method: 'copy', ids: [1] });
    while (!proxy.fired) await new Promise((r) => setTimeout(r, 10));
    const during = read(file).filter((l) => l.tool === 'call_method');
    expect(during).toHaveLength(1);
    expect(during[0]).toMatchObject({ event: 'intent', model: 'res.partner', method: 'copy', ids: [1] });
    const r = await pending;
    expect(r.isError).toBe(true);
    const { outcome } = callOf(read(file), 'call_method');
    expect(outcome?.outcome).toBe('unknown');
  });
});

describe('audit log over HTTP, with values', () => {
  const file = join(dir, 'http.jsonl');
  const token = 'audit-test-token-0123456789abcdef0123456789';
  it('names the client by a token fingerprint and the session, and keeps values when asked', async () => {
    const h = await startHttp({ config: { audit: { file, values: true }, http: { auth_tokens: [token] } } });
    try {
      const c = await connectStreamable(h.url, 'legacy', { Authorization: `Bearer ${token}` });
      const r = await c.client.callTool({
        name: 'create_records',
        arguments: { model: 'res.partner', values: { name: 'Audited over HTTP', phone: SECRET_PHONE } },
      });
      expect(r.isError, textOf(r)).toBeFalsy();
      await c.client.close();
    } finally {
      await h.close();
    }
    const { intent, outcome } = callOf(read(file), 'create_records');
    expect(intent?.caller?.client).toMatch(/^token:[0-9a-f]{12}$/);
    expect(intent?.caller?.session).toBeTruthy();
    expect(intent?.values).toEqual({ name: 'Audited over HTTP', phone: SECRET_PHONE });
    expect(outcome?.outcome).toBe('applied');
    expect(readFileSync(file, 'utf8')).not.toContain(token);
  });
});

describe('audit log that cannot be written', () => {
  it('refuses the write before anything reaches Odoo', async () => {
    const emulator = await startEmulator({ odooVersion: '19.0' });
    // Writes to /dev/full fail with ENOSPC: a full disk.
    const h = await startHarness({ emulator, era: 'legacy', config: { audit: { file: '/dev/full' } } });
    try {
      const r = await h.client.callTool({
        name: 'create_records',
        arguments: { model: 'res.partner', values: { name: 'Unrecorded' } },
      });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/Nothing was sent to Odoo: The audit log \/dev\/full cannot be written/);
      expect(emulator.log.count({ modelMethod: 'create' })).toBe(0);
      const reads = await h.client.callTool({ name: 'count_records', arguments: { model: 'res.partner' } });
      expect(reads.isError).toBeFalsy();
    } finally {
      await h.close();
      await emulator.close();
    }
  });
});
