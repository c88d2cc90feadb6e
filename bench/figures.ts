// The size and speed figures of the server as users run it (the built CLI in its own process),
// for the current build and, with --baseline REF, for a build of REF made in a temporary git
// worktree, printed side by side with their ratio: one run, one machine, comparable numbers.
// Run: npm run build && npx tsx bench/figures.ts [--baseline REF] [--seconds N]
// Not a test: timings depend on the machine; bytes and request counts do not.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Emulator, startEmulator } from '../src/emulator/index.js';

const { values: opts } = parseArgs({
  options: {
    baseline: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '7' },
  },
});
const SECONDS = Number(opts.seconds);
const RUNS = Number(opts.runs);
const ROOT = resolve(import.meta.dirname, '..');
const API_KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';
const HTTP_CLIENTS = 32;
/** Load before each measured HTTP run, not counted. */
const WARMUP_SECONDS = 2;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/** A JSON-RPC conversation with a server over its stdin/stdout, as an MCP host has. */
class StdioPeer {
  private buffer = '';
  private waiting = new Map<number, (msg: { result?: unknown; error?: unknown }) => void>();
  private next = 1;
  readonly started = performance.now();
  readonly child: ChildProcess;

  constructor(cli: string, args: string[]) {
    this.child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        if (!line.trim()) continue;
        const msg = JSON.parse(line) as { id?: number; result?: unknown; error?: unknown };
        if (typeof msg.id === 'number') this.waiting.get(msg.id)?.(msg);
      }
    });
  }

  request(
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.next++;
    return new Promise((ok) => {
      this.waiting.set(id, ok);
      this.child.stdin?.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  notify(method: string): void {
    this.child.stdin?.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
  }

  async initialize(): Promise<void> {
    await this.request('initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    });
    this.notify('notifications/initialized');
  }

  async close(): Promise<void> {
    const exited = new Promise((ok) => this.child.once('exit', ok));
    this.child.stdin?.end();
    this.child.kill('SIGTERM');
    await exited;
  }
}

interface Figures {
  toolsListBytes: number;
  tools: number;
  describeBytes: number;
  describeTextBytes: number;
  startMs: number;
  rssAfter200: number;
  requestsPerSearch: number;
  modernCallsPerSec: number;
  legacyCallsPerSec: number;
}

function odooArgs(emulator: Emulator): string[] {
  return ['--url', emulator.url, '--db', emulator.database, '--user', 'admin', '--protocol', 'json2'];
}

async function stdioFigures(
  cli: string,
  emulator: Emulator,
): Promise<Omit<Figures, 'modernCallsPerSec' | 'legacyCallsPerSec'>> {
  const env = { ODOO_API_KEY: API_KEY };
  Object.assign(process.env, env);
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const peer = new StdioPeer(cli, ['stdio', ...odooArgs(emulator)]);
    await peer.initialize();
    await peer.request('tools/list');
    starts.push(performance.now() - peer.started);
    await peer.close();
  }
  const peer = new StdioPeer(cli, ['stdio', ...odooArgs(emulator)]);
  try {
    await peer.initialize();
    const list = (await peer.request('tools/list')).result as { tools: unknown[] };
    const describe = (
      await peer.request('tools/call', { name: 'describe_model', arguments: { model: 'res.partner' } })
    ).result as { content: Array<{ text?: string }> };
    const search = {
      name: 'search_records',
      arguments: { model: 'res.partner', limit: 20, fields: ['name', 'email', 'phone'] },
    };
    await peer.request('tools/call', search);
    const before = emulator.log.total;
    await peer.request('tools/call', search);
    const requestsPerSearch = emulator.log.total - before;
    for (let i = 0; i < 198; i++) {
      await peer.request('tools/call', { ...search, arguments: { ...search.arguments, offset: i % 30 } });
    }
    return {
      toolsListBytes: Buffer.byteLength(JSON.stringify(list)),
      tools: list.tools.length,
      describeBytes: Buffer.byteLength(JSON.stringify(describe)),
      describeTextBytes: Buffer.byteLength(describe.content.map((c) => c.text ?? '').join('')),
      startMs: median(starts),
      rssAfter200: rssOf(peer.child.pid as number),
      requestsPerSearch,
    };
  } finally {
    await peer.close();
  }
}

async function httpCallsPerSec(url: string, era: 'modern' | 'legacy'): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: HTTP_CLIENTS }, async () => {
      const client = new Client(
        { name: 'bench', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url)));
      return client;
    }),
  );
  let calls = 0;
  const load = (seconds: number) => {
    const deadline = Date.now() + seconds * 1000;
    return Promise.all(
      clients.map(async (client, i) => {
        while (Date.now() < deadline) {
          await client.callTool({
            name: 'search_records',
            arguments: {
              model: 'res.partner',
              limit: 5,
              offset: (i + calls) % 20,
              fields: ['name', 'email'],
            },
          });
          calls++;
        }
      }),
    );
  };
  // Unmeasured first: the clients and the emulator run in this process, and whichever build was
  // measured second would otherwise find their code already optimised (measured: HEAD against
  // itself came out 0.7x without this).
  await load(WARMUP_SECONDS);
  calls = 0;
  const started = performance.now();
  await load(SECONDS);
  const rate = calls / ((performance.now() - started) / 1000);
  await Promise.all(clients.map((c) => c.close()));
  return rate;
}

async function httpFigures(
  cli: string,
  emulator: Emulator,
): Promise<Pick<Figures, 'modernCallsPerSec' | 'legacyCallsPerSec'>> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [cli, 'streamable_http', ...odooArgs(emulator), '--host', '127.0.0.1', '--port', String(port)],
    {
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, ODOO_API_KEY: API_KEY, ODOO_MCP_REQUESTS_PER_MINUTE: '0' },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 100) throw new Error(`${cli} did not start an HTTP server`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return {
      modernCallsPerSec: await httpCallsPerSec(url, 'modern'),
      legacyCallsPerSec: await httpCallsPerSec(url, 'legacy'),
    };
  } finally {
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  }
}

function bareNodeMs(): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    runs.push(performance.now() - t);
  }
  return median(runs);
}

/** Builds REF in a temporary worktree that shares this checkout's node_modules. */
function buildBaseline(ref: string): { cli: string; cleanup(): void } {
  const dir = join(tmpdir(), `odoo-mcp-bench-${process.pid}`);
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT, stdio: 'ignore' });
  const cleanup = () => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: dir,
        stdio: 'inherit',
      },
    );
  } catch (err) {
    cleanup();
    throw err;
  }
  return { cli: join(dir, 'dist/cli.js'), cleanup };
}

async function measure(cli: string): Promise<Figures> {
  const emulator = await startEmulator({ odooVersion: '19.0' });
  try {
    const stdio = await stdioFigures(cli, emulator);
    const http = await httpFigures(cli, emulator);
    return { ...stdio, ...http };
  } finally {
    await emulator.close();
  }
}

const current = join(ROOT, 'dist/cli.js');
if (!existsSync(current)) throw new Error('run npm run build first');
const base = opts.baseline ? buildBaseline(opts.baseline) : undefined;
try {
  const node = bareNodeMs();
  const now = await measure(current);
  const before = base ? await measure(base.cli) : undefined;
  const rows: Array<[string, (f: Figures) => number, (n: number) => string]> = [
    ['tools/list result (bytes)', (f) => f.toolsListBytes, (n) => `${n.toLocaleString('en')} B`],
    ['tools listed', (f) => f.tools, String],
    [
      'describe_model res.partner, text + structured (bytes)',
      (f) => f.describeBytes,
      (n) => `${n.toLocaleString('en')} B`,
    ],
    [
      'describe_model res.partner, text only (bytes)',
      (f) => f.describeTextBytes,
      (n) => `${n.toLocaleString('en')} B`,
    ],
    [
      'cold start, spawn to tools/list answer (median)',
      (f) => f.startMs,
      (n) => `${n.toFixed(0)} ms (${(n / node).toFixed(2)}x node -e 0)`,
    ],
    ['RSS after 200 tool calls', (f) => f.rssAfter200, (n) => `${(n / 2 ** 20).toFixed(0)} MB`],
    ['Odoo requests per warm search_records', (f) => f.requestsPerSearch, String],
    [
      `stateless HTTP 2026-07-28, ${HTTP_CLIENTS} clients`,
      (f) => f.modernCallsPerSec,
      (n) => `${n.toFixed(0)} calls/s`,
    ],
    [
      `2025-11-25 sessions, ${HTTP_CLIENTS} clients`,
      (f) => f.legacyCallsPerSec,
      (n) => `${n.toFixed(0)} calls/s`,
    ],
  ];
  const out: string[] = [
    `node -e 0: ${node.toFixed(0)} ms (median of ${RUNS}); HTTP ${SECONDS} s per era; Odoo emulator 19.0 over JSON-2 in the bench process`,
    before ? `| figure | ${opts.baseline} | now | now / before |` : '| figure | now |',
    before ? '|---|---|---|---|' : '|---|---|',
  ];
  for (const [label, get, show] of rows) {
    const n = get(now);
    if (before) {
      const b = get(before);
      out.push(`| ${label} | ${show(b)} | ${show(n)} | ${(n / b).toFixed(2)}x |`);
    } else out.push(`| ${label} | ${show(n)} |`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  base?.cleanup();
}
