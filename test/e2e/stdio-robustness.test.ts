// The built CLI on --demo over a real pipe, fed what an attacker would send: a 50 MB line, a line
// past the SDK's 10 MiB read buffer, a million ids, a domain 5,000 levels deep, a resources/read
// without its uri. Each is answered at once, under its id, and the session goes on.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

interface Frame {
  id?: string | number | null;
  result?: { content?: Array<{ type: string; text?: string }>; isError?: boolean; tools?: unknown[] };
  error?: { code: number; message: string };
}

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

function start(env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, [CLI, '--demo'], {
    cwd: ROOT,
    env: { ...process.env, ODOO_MCP_LOGGING_LEVEL: 'ERROR', ...env },
  });
  child = proc;
  const frames: Frame[] = [];
  let pending = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      frames.push(JSON.parse(pending.slice(0, nl)) as Frame);
      pending = pending.slice(nl + 1);
    }
  });
  proc.stderr.resume();
  /** Writes text with backpressure. */
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => proc.stdin.write(text, (err) => (err ? reject(err) : resolve())));
  const answer = async (id: string | number, ms = 10_000): Promise<Frame> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const f = frames.find((x) => x.id === id);
      if (f) return f;
      if (Date.now() > deadline)
        throw new Error(`no answer to ${id}; frames: ${JSON.stringify(frames.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const request = async (id: string | number, method: string, params?: unknown) => {
    await write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })}\n`);
    return answer(id);
  };
  return { frames, write, answer, request };
}

async function initialized(env?: Record<string, string>) {
  const s = start(env);
  const init = await s.request('init', 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'robustness', version: '1' },
  });
  expect(init.result).toBeDefined();
  await s.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  return s;
}

const toolText = (f: Frame) => f.result?.content?.find((c) => c.type === 'text')?.text ?? '';

describe('stdio against the built server', () => {
  it('answers a 50 MB line and an 11 MiB one at once, under their ids, and keeps serving', async () => {
    const s = await initialized();
    for (const [id, mb] of [
      [1, 50],
      [2, 11],
    ] as const) {
      const started = Date.now();
      const head = `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"search_records","arguments":{"model":"res.partner","query":"`;
      await s.write(head);
      const chunk = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < mb; i++) await s.write(chunk);
      await s.write('"}}}\n');
      const a = await s.answer(id);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(a.error?.code).toBe(-32600);
      expect(a.error?.message).toContain('stdio.max_line_bytes');
      expect((await s.request(`ping-${id}`, 'ping')).result).toEqual({});
    }
    const list = await s.request('list', 'tools/list');
    expect(list.result?.tools?.length).toBeGreaterThan(5);
  }, 60_000);

  it('refuses 1,000,000 ids at once, naming limits.max_ids, when the line limit lets them in', async () => {
    const s = await initialized({ ODOO_MCP_STDIO_MAX_LINE_BYTES: String(32 * 1024 * 1024) });
    const ids = Array.from({ length: 1_000_000 }, (_, i) => i + 1);
    const started = Date.now();
    const a = await s.request('delete', 'tools/call', {
      name: 'delete_records',
      arguments: { model: 'res.partner', ids },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(a.result?.isError).toBe(true);
    expect(toolText(a)).toContain('limits.max_ids');
    // Nothing was deleted: partner 1 is still there.
    const read = await s.request('read', 'tools/call', {
      name: 'read_records',
      arguments: { model: 'res.partner', ids: [1], fields: ['name'] },
    });
    expect(toolText(read)).toContain('YourCompany');
  }, 30_000);

  it('answers 5,000 levels of nesting and a resources/read without uri with -32602 in one line', async () => {
    const s = await initialized();
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    await s.write(
      `{"jsonrpc":"2.0","id":"deep","method":"tools/call","params":{"name":"search_records","arguments":{"model":"res.partner","domain":${deep}}}}\n`,
    );
    const a = await s.answer('deep');
    expect(a.error?.code).toBe(-32602);
    expect(a.error?.message).toContain('nested more than');
    const r = await s.request('read', 'resources/read', {});
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toContain('params.uri is required');
    expect(r.error?.message).not.toContain('\n');
    expect((await s.request('after', 'ping')).result).toEqual({});
  }, 30_000);
});
