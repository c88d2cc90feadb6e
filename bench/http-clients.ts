// The load of the HTTP benchmarks: MCP clients calling search_records in a loop, either in the
// bench process or spread over child processes (so that on a small machine the clients' own work
// is not what limits the figure). Two kinds of client: the SDK's (`sdk`, what users run), and
// `raw`, the same JSON-RPC requests as the SDK's client sends them, written by hand over undici,
// as a load generator does: about a third of the SDK client's CPU per call, so that on 2 cores
// the figure is the server's rather than the clients'.
// Not run directly: bench/figures.ts and bench/http-load.ts fork this file with --worker.
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Agent, request } from 'undici';
import { MODERN_HEADERS, modernSearch, type SearchArgs } from './sdk-parts.js';

export type Era = 'modern' | 'legacy';
export type ClientKind = 'sdk' | 'raw';

/** One MCP client: calls search_records, says whether the call failed. */
interface Caller {
  call(args: Record<string, unknown>): Promise<boolean>;
  close(): Promise<void>;
}

export interface LoadResult {
  calls: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface Load {
  /** The processes the clients run in (the bench's own when they are not in workers). */
  pids: number[];
  run(seconds: number): Promise<LoadResult>;
  close(): Promise<void>;
}

interface Round {
  calls: number;
  errors: number;
  elapsed: number;
  latencies: number[];
}

type ToWorker = { type: 'run'; seconds: number } | { type: 'close' };
type FromWorker = { type: 'ready' } | ({ type: 'done' } & Round) | { type: 'failed'; message: string };

async function connect(url: string, era: Era, count: number, kind: ClientKind): Promise<Caller[]> {
  if (kind === 'raw') return connectRaw(url, era, count);
  return Promise.all(
    Array.from({ length: count }, async (): Promise<Caller> => {
      const client = new Client(
        { name: 'bench', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url)));
      return {
        call: async (args) =>
          (await client.callTool({ name: 'search_records', arguments: args })).isError === true,
        close: () => client.close(),
      };
    }),
  );
}

const ACCEPT = 'application/json, text/event-stream';

/** `raw` clients: 2026-07-28 requests with the envelope in _meta, or one 2025-11-25 session each. */
async function connectRaw(url: string, era: Era, count: number): Promise<Caller[]> {
  const dispatcher = new Agent({ connections: count });
  const endpoint = new URL('/mcp', url).href;
  const post = async (headers: Record<string, string>, body: unknown) => {
    const res = await request(endpoint, {
      method: 'POST',
      dispatcher,
      headers: { accept: ACCEPT, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  };
  let id = 0;
  /** One tools/call of search_records; whether it failed. */
  const search = async (headers: Record<string, string>, body: object) => {
    const r = await post(headers, body);
    return r.status !== 200 || r.text.includes('"isError":true') || !r.text.includes('"result"');
  };
  if (era === 'modern') {
    const caller: Caller = {
      call: (args) => search(MODERN_HEADERS, modernSearch(id++, args as SearchArgs)),
      close: async () => undefined,
    };
    return Array.from({ length: count }, () => caller);
  }
  return Promise.all(
    Array.from({ length: count }, async (): Promise<Caller> => {
      const init = await post(
        {},
        {
          jsonrpc: '2.0',
          id: id++,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'bench', version: '1' },
          },
        },
      );
      const session = init.headers['mcp-session-id'];
      if (typeof session !== 'string')
        throw new Error(`initialize answered ${init.status} without a session`);
      const headers = { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
      await post(headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
      return {
        call: (args) =>
          search(headers, {
            jsonrpc: '2.0',
            id: id++,
            method: 'tools/call',
            params: { name: 'search_records', arguments: args },
          }),
        close: async () => {
          await request(endpoint, { method: 'DELETE', dispatcher, headers }).then((r) => r.body.dump());
        },
      };
    }),
  );
}

async function drive(clients: Caller[], seconds: number, first: number): Promise<Round> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const failed = await client.call({
          model: 'res.partner',
          limit: 5,
          offset: (first + i + latencies.length) % 20,
          fields: ['name', 'email'],
        });
        latencies.push(performance.now() - t);
        if (failed) errors++;
      }
    }),
  );
  return { calls: latencies.length, errors, elapsed: (performance.now() - started) / 1000, latencies };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function combine(rounds: Round[]): LoadResult {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    calls: latencies.length,
    // Each process times its own window; their rates add up.
    perSecond: rounds.reduce((sum, r) => sum + r.calls / r.elapsed, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

/** `clients` MCP clients of `era` on `url`, in the bench process (processes 0) or spread evenly over that many workers. */
export async function openLoad(
  url: string,
  era: Era,
  clients: number,
  processes: number,
  kind: ClientKind = 'sdk',
): Promise<Load> {
  if (processes <= 0) {
    const open = await connect(url, era, clients, kind);
    return {
      pids: [process.pid],
      run: async (seconds) => combine([await drive(open, seconds, 0)]),
      close: async () => {
        await Promise.all(open.map((c) => c.close()));
      },
    };
  }
  const workers = Array.from({ length: processes }, (_, w) => {
    const count = Math.floor(clients / processes) + (w < clients % processes ? 1 : 0);
    const child: ChildProcess = fork(
      fileURLToPath(import.meta.url),
      ['--worker', url, era, String(count), String(w * 7), kind],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
    );
    let pending: { ok(m: FromWorker): void; fail(e: Error): void } | undefined;
    child.on('message', (m: FromWorker) => pending?.ok(m));
    child.on('exit', (code) => pending?.fail(new Error(`a load worker exited (${code})`)));
    const next = (msg?: ToWorker) =>
      new Promise<FromWorker>((ok, fail) => {
        pending = { ok, fail };
        if (msg) child.send(msg);
      }).then((m) => {
        if (m.type === 'failed') throw new Error(`a load worker failed: ${m.message}`);
        return m;
      });
    return { child, next, ready: next() };
  });
  await Promise.all(workers.map((w) => w.ready));
  return {
    pids: workers.map((w) => w.child.pid as number),
    async run(seconds) {
      const rounds = await Promise.all(workers.map((w) => w.next({ type: 'run', seconds })));
      return combine(rounds.filter((m): m is { type: 'done' } & Round => m.type === 'done'));
    },
    async close() {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((ok) => {
              w.child.removeAllListeners('exit');
              w.child.once('exit', () => ok());
              w.child.send({ type: 'close' } satisfies ToWorker);
              setTimeout(() => w.child.kill(), 5000).unref();
            }),
        ),
      );
    },
  };
}

/** CPU time (user + system) a process has used, in seconds, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function worker(url: string, era: Era, count: number, first: number, kind: ClientKind): Promise<void> {
  const send = (m: FromWorker) => process.send?.(m);
  try {
    const open = await connect(url, era, count, kind);
    process.on('message', (m: ToWorker) => {
      if (m.type === 'run') {
        drive(open, m.seconds, first).then(
          (r) => send({ type: 'done', ...r }),
          (err: unknown) => send({ type: 'failed', message: String(err) }),
        );
      } else {
        void Promise.all(open.map((c) => c.close())).finally(() => process.disconnect());
      }
    });
    send({ type: 'ready' });
  } catch (err) {
    send({ type: 'failed', message: String(err) });
    process.disconnect();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--worker') {
  const [url = '', era = 'modern', count = '16', first = '0', kind = 'sdk'] = process.argv.slice(3);
  await worker(url, era as Era, Number(count), Number(first), kind as ClientKind);
}
