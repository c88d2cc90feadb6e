// The calls the reference project (mcp-odoo-panda) documents, verbatim, against the built CLI on
// --demo; and stdio's promise that every line gets an answer that says what is wrong.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpHarness, startHttp } from '../http/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

/** Pipes `input` into `odoo-mcp-server --demo` (stdin then closes, as with echo) and collects. */
function pipeInto(
  input: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--demo'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, ODOO_MCP_LOGGING_LEVEL: 'WARNING', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

const lines = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .map(
      (l) => JSON.parse(l) as { id: unknown; result?: unknown; error?: { code: number; message: string } },
    );

describe('stdio', () => {
  it("answers the reference's echo call: get_resource without jsonrpc or id, printed with id null", async () => {
    const { code, out, err } = await pipeInto(
      '{"method": "get_resource", "params": {"uri": "odoo://res.partner/1"}}\n',
    );
    expect(code).toBe(0);
    const [answer, ...rest] = lines(out);
    expect(rest).toEqual([]);
    expect(answer?.id).toBeNull();
    const contents =
      (answer?.result as { contents: Array<{ uri: string; text: string }> } | undefined)?.contents ?? [];
    expect(contents[0]?.uri).toBe('odoo://res.partner/1');
    expect(JSON.parse(contents[0]?.text ?? '{}')).toMatchObject({ id: 1, name: 'YourCompany' });
    expect(err).not.toContain('ZodError');
  });

  it('answers every line that is not a valid request, in order, with the error that says why', async () => {
    const input = [
      'not json',
      '[1,2]',
      '42',
      '{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
      '{"jsonrpc":"2.0","id":2,"method":"resources/read"}',
      '{"jsonrpc":"2.0","id":3,"method":"resources/read","params":"odoo://res.partner/1"}',
      '{"jsonrpc":"2.0","id":4}',
      '{"jsonrpc":"1.0","id":5,"method":"ping"}',
      `{"jsonrpc":"2.0","id":6,"method":"ping","pad":"${'x'.repeat(3000)}"}`,
      '{"jsonrpc":"2.0","id":7,"method":"prompts/get","params":{"name":"explore_model","arguments":{"model":1}}}',
      '{"jsonrpc":"2.0","id":8,"method":"ping"}',
    ].join('\n');
    const { code, out, err } = await pipeInto(`${input}\n`, { ODOO_MCP_STDIO_MAX_LINE_BYTES: '2048' });
    expect(code).toBe(0);
    const answers = lines(out);
    const byId = new Map(answers.filter((a) => a.id !== null).map((a) => [a.id, a]));
    const anonymous = answers.filter((a) => a.id === null);
    // not JSON, a batch, a number, a fractional id
    expect(anonymous.map((a) => a.error?.code)).toEqual([-32700, -32600, -32600, -32600]);
    // the over-long line, skipped unread, is answered under the id its start shows
    expect(byId.get(6)?.error).toMatchObject({
      code: -32600,
      message: expect.stringContaining('2048 bytes'),
    });
    expect(byId.get(2)?.error).toMatchObject({
      code: -32602,
      message: expect.stringContaining('params.uri'),
    });
    expect(byId.get(3)?.error).toMatchObject({
      code: -32602,
      message: expect.stringContaining('JSON object'),
    });
    expect(byId.get(4)?.error?.code).toBe(-32600);
    expect(byId.get(5)?.error?.code).toBe(-32600);
    expect(byId.get(7)?.error?.code).toBe(-32602);
    expect(byId.get(7)?.error?.message).not.toMatch(/^\[|"code":/);
    expect(byId.get(8)?.result).toEqual({});
    expect(answers.length).toBe(11);
    // stderr: one short line per bad line, no zod dump.
    expect(err).not.toMatch(/ZodError|"code": "invalid_type"/);
    expect(err.split('\n').filter((l) => l.includes('stdio: answered')).length).toBe(9);
  });
});

describe('HTTP: the reference curl calls, verbatim', () => {
  for (const mode of ['streamable_http', 'http'] as const) {
    describe(mode, () => {
      let h: HttpHarness;
      beforeAll(async () => {
        h = await startHttp({ mode });
      });
      afterAll(async () => {
        await h.close();
      });
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(h.mcpUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Connection: 'keep-alive', ...headers },
          body,
        });

      for (const [label, body] of [
        ['initialize without params', '{"jsonrpc": "2.0", "method": "initialize", "id": 1}'],
        ['initialize with params {}', '{"jsonrpc": "2.0", "method": "initialize", "id": 1, "params": {}}'],
      ] as const) {
        it(`${label}, no Accept header: a 2025-era initialize answered with JSON`, async () => {
          const res = await post(body);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toContain('application/json');
          const json = (await res.json()) as {
            id: number;
            result: { protocolVersion: string; serverInfo: object };
          };
          expect(json.id).toBe(1);
          expect(json.result.protocolVersion).toBe('2025-11-25');
          expect(json.result.serverInfo).toMatchObject({ name: 'odoo-mcp-server' });
        });
      }

      it("full params with curl's Accept: */* gets JSON, not 406", async () => {
        const res = await post(
          '{"jsonrpc":"2.0","method":"initialize","id":1,"params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"8"}}}',
          { Accept: '*/*' },
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/json');
      });

      it('an Accept that excludes JSON is still refused', async () => {
        const res = await post('{"jsonrpc":"2.0","method":"tools/list","id":1}', { Accept: 'text/html' });
        expect(res.status).toBe(406);
      });

      it('get_resource without id is answered with id null', async () => {
        const res = await post('{"method": "get_resource", "params": {"uri": "odoo://res.partner/1"}}');
        expect(res.status).toBe(200);
        const json = (await res.json()) as { id: unknown; result: { contents: Array<{ text: string }> } };
        expect(json.id).toBeNull();
        expect(JSON.parse(json.result.contents[0]?.text ?? '{}')).toMatchObject({ id: 1 });
      });

      it('missing params are -32602 with one line, not -32603 with a zod dump', async () => {
        const res = await post('{"jsonrpc":"2.0","id":9,"method":"resources/read"}', {
          Accept: 'application/json, text/event-stream',
        });
        const json = (await res.json()) as { id: number; error: { code: number; message: string } };
        expect(json).toMatchObject({ id: 9, error: { code: -32602 } });
        expect(json.error.message).toContain('params.uri');
        expect(json.error.message).not.toContain('\n');
      });

      it('GET /sse opens a legacy SSE session', async () => {
        const ac = new AbortController();
        const res = await fetch(new URL('/sse', h.url), {
          headers: { Accept: 'text/event-stream' },
          signal: ac.signal,
        });
        expect(res.status).toBe(200);
        const reader = (res.body as ReadableStream<Uint8Array>).getReader();
        const { value } = await reader.read();
        expect(new TextDecoder().decode(value)).toMatch(/^event: endpoint\ndata: \/messages\?sessionId=/);
        ac.abort();
      });
    });
  }
});
