// The size and speed figures of the server as users run it (the built CLI in its own process),
// for the current build and, with --baseline REF, for a build of REF made in a temporary git
// worktree by REF's own `npm run build`, printed side by side with their ratio and the targets:
// one run, one machine, comparable numbers.
// Run: npm run build && npx tsx bench/figures.ts [--baseline REF] [--seconds N] [--runs N]
//   [--layout split|workers|bench] [--client-processes N] [--only stdio|http] [--node-arg=FLAG]...
//   [--repeat N: HTTP runs per build, interleaved, median shown (default 3)] [--pin]
//   [--warmup S: unmeasured load before each HTTP run (default 10)]
//   [--no-floor: skip the SDK-only reference server (bench/sdk-floor.ts) run beside the builds]
//   [--load sdk|raw: the HTTP clients, the SDK's (default) or raw JSON-RPC (bench/http-clients.ts)]
//   [--cli PATH: measure that built CLI as "now" instead of this checkout's dist/cli.js]
//   [--baseline-cli PATH: an already built baseline instead of --baseline REF]
// HTTP layouts: `workers` (default) runs the 32 load clients in worker processes
// (bench/http-clients.ts), 16 each, with the emulator in the bench process; `split` also moves the
// emulator to its own process (bench/emulator-process.ts); `bench` runs clients and emulator in the
// bench process (the old layout, whose one event loop limited the figure: HEAD against itself read
// 0.42x to 1.35x). Per-process CPU use of each measured HTTP run goes to stderr, and the server's
// CPU time per call is a figure of its own: on a busy machine it moves less than calls/s.
// Not a test: timings depend on the machine; bytes and request counts do not.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startEmulator } from '../src/emulator/index.js';
import { type EmulatorHandle, emulatorInChild, emulatorInProcess } from './emulator-process.js';
import { type ClientKind, cpuSeconds, type LoadResult, openLoad } from './http-clients.js';

const { values: opts } = parseArgs({
  options: {
    baseline: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '7' },
    layout: { type: 'string', default: 'workers' },
    'client-processes': { type: 'string', default: '2' },
    only: { type: 'string' },
    cli: { type: 'string' },
    'baseline-cli': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
    pin: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '10' },
    load: { type: 'string', default: 'sdk' },
    'no-floor': { type: 'boolean', default: false },
  },
});
const SECONDS = Number(opts.seconds);
const RUNS = Number(opts.runs);
/** Where the HTTP load clients and the emulator run: see the header. */
const LAYOUT = opts.layout as 'bench' | 'workers' | 'split';
if (!['bench', 'workers', 'split'].includes(LAYOUT)) throw new Error('--layout is bench, workers or split');
const CLIENT_PROCESSES = Number(opts['client-processes']);
/** HTTP runs with the server on CPU 0 and the clients (and a child emulator) on CPU 1. */
const PIN = opts.pin;
/** Node options for the CLI under test (both builds), e.g. --node-arg=--max-semi-space-size=2. */
const NODE_ARGS = opts['node-arg'];
const LATENCY_CALLS = 300;
/**
 * How long a real Odoo 19 took for such a page: the corpus's partner_search_read over JSON-2
 * (3 rows, 5 fields, its elapsed_ms, a new connection per request). The zero-latency figure is our
 * overhead alone; for the second one the emulator (its latencyMs fault) waits so that the direct
 * call takes this long.
 */
const ODOO_MS = (
  JSON.parse(
    readFileSync(
      resolve(
        import.meta.dirname,
        '../test/fixtures/odoo-contract/19.0/cases/partner_search_read.json2.json',
      ),
      'utf8',
    ),
  ) as { elapsed_ms: number }
).elapsed_ms;
const SLOW_CALLS = 100;
/**
 * Between a start's tools/list answer and its first tool call: a client lists tools as it starts,
 * and its model then takes longer than this to choose one.
 */
const FIRST_CALL_GAP_MS = 300;
/** HTTP runs per build, interleaved between the builds; the median is reported. */
const REPEAT = Number(opts.repeat);
const ROOT = resolve(import.meta.dirname, '..');
const API_KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';
const HTTP_CLIENTS = 32;
/**
 * Load before each measured HTTP run, not counted: a server's CPU per call settles only after
 * some 10 s of load (V8 optimising the hot path; measured 5.4 ms per call in the first seconds,
 * 2.2 ms from the tenth on).
 */
const WARMUP_SECONDS = Number(opts.warmup);
/** The HTTP load's clients: the SDK's, or raw JSON-RPC over undici (bench/http-clients.ts). */
const LOAD = opts.load as ClientKind;
if (!['sdk', 'raw'].includes(LOAD)) throw new Error('--load is sdk or raw');
/** The SDK-only reference server (bench/sdk-floor.ts), measured beside the builds. */
const FLOOR = !opts['no-floor'];

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

  constructor(cli: string, args: string[], execArgs: string[] = NODE_ARGS) {
    this.child = spawn(process.execPath, [...execArgs, cli, ...args], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, ODOO_API_KEY: API_KEY },
    });
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
  /** `node -e 0`, timed in turn with each cold start of this build. */
  nodeMs: number;
  startMs: number;
  /** The first search_records of a run, FIRST_CALL_GAP_MS after its tools/list answer. */
  firstCallMs: number;
  rssAfter200: number;
  searchMs: number;
  directMs: number;
  /** The same two, with the emulator as slow as the corpus's Odoo (ODOO_MS for the direct call). */
  searchSlowMs: number;
  directSlowMs: number;
  requests: Record<string, number>;
  modern?: HttpResult;
  legacy?: HttpResult;
}

/** A load run, with the server's CPU time per call: steadier than calls/s on a busy machine. */
type HttpResult = LoadResult & { serverCpuMs: number };

/** The tools whose Odoo requests are counted, each called twice and counted the second time (warm). */
const COUNTED_CALLS: Array<[string, Record<string, unknown>]> = [
  ['search_records', { model: 'res.partner', limit: 20, fields: ['name', 'email', 'phone'] }],
  ['read_records', { model: 'res.partner', ids: [1, 2, 3], fields: ['name', 'email', 'phone'] }],
  ['count_records', { model: 'res.partner' }],
  ['aggregate_records', { model: 'res.partner', group_by: ['country_id'] }],
  ['describe_model', { model: 'res.partner' }],
];
const SEARCH = COUNTED_CALLS[0]?.[1] as Record<string, unknown>;

function odooArgs(emulator: Pick<EmulatorHandle, 'url' | 'database'>): string[] {
  return ['--url', emulator.url, '--db', emulator.database, '--user', 'admin', '--protocol', 'json2'];
}

/** The same page as SEARCH, asked of the emulator directly over JSON-2 with a keep-alive connection. */
function directCall(emulator: Pick<EmulatorHandle, 'url' | 'database'>): () => Promise<void> {
  const dispatcher = new Agent({ connections: 1 });
  const body = JSON.stringify({ domain: [], fields: SEARCH.fields, limit: SEARCH.limit });
  const headers = {
    'content-type': 'application/json',
    authorization: `bearer ${API_KEY}`,
    'x-odoo-database': emulator.database,
  };
  return async () => {
    const res = await request(`${emulator.url}/json/2/res.partner/search_read`, {
      method: 'POST',
      headers,
      body,
      dispatcher,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || !text.startsWith('['))
      throw new Error(`direct JSON-2 call: ${res.statusCode}`);
  };
}

async function stdioFigures(
  cli: string,
  emulator: EmulatorHandle,
): Promise<Omit<Figures, 'modern' | 'legacy'>> {
  const args = ['stdio', ...odooArgs(emulator)];
  const starts: number[] = [];
  const bare: number[] = [];
  const firsts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(bareNodeMs());
    const peer = new StdioPeer(cli, args);
    await peer.initialize();
    await peer.request('tools/list');
    starts.push(performance.now() - peer.started);
    await new Promise((r) => setTimeout(r, FIRST_CALL_GAP_MS));
    const t = performance.now();
    const first = await peer.request('tools/call', { name: 'search_records', arguments: SEARCH });
    if (first.error !== undefined || (first.result as { isError?: boolean }).isError)
      throw new Error(`${cli}: the first search_records failed`);
    firsts.push(performance.now() - t);
    await peer.close();
  }
  const peer = new StdioPeer(cli, args);
  try {
    await peer.initialize();
    const list = (await peer.request('tools/list')).result as { tools: unknown[] };
    const describe = (
      await peer.request('tools/call', { name: 'describe_model', arguments: { model: 'res.partner' } })
    ).result as { content: Array<{ text?: string }> };
    let calls = 1;
    const requests: Record<string, number> = {};
    for (const [name, args] of COUNTED_CALLS) {
      await peer.request('tools/call', { name, arguments: args });
      const before = await emulator.requests();
      const answer = await peer.request('tools/call', { name, arguments: args });
      const failed = answer.error !== undefined || (answer.result as { isError?: boolean }).isError;
      requests[name] = failed ? Number.NaN : (await emulator.requests()) - before;
      calls += 2;
    }
    for (; calls < 200; calls++) {
      await peer.request('tools/call', {
        name: 'search_records',
        arguments: { ...SEARCH, offset: calls % 30 },
      });
    }
    const rssAfter200 = rssOf(peer.child.pid as number);
    const { searchMs, directMs } = await interleaved(peer, emulator, 100, LATENCY_CALLS);
    const slow = await slowFigures(cliPeer(cli), directMs);
    return {
      ...slow,
      toolsListBytes: Buffer.byteLength(JSON.stringify(list)),
      tools: list.tools.length,
      describeBytes: Buffer.byteLength(JSON.stringify(describe)),
      describeTextBytes: Buffer.byteLength(describe.content.map((c) => c.text ?? '').join('')),
      nodeMs: median(bare),
      startMs: median(starts),
      firstCallMs: median(firsts),
      rssAfter200,
      searchMs,
      directMs,
      requests,
    };
  } finally {
    await peer.close();
  }
}

/**
 * Medians of search_records through the CLI and of the same page asked of Odoo directly, each call
 * timed alone, the two interleaved so that drift hits both alike, after `warm` rounds.
 */
async function interleaved(
  peer: StdioPeer,
  emulator: Pick<EmulatorHandle, 'url' | 'database'>,
  warm: number,
  calls: number,
): Promise<{ searchMs: number; directMs: number }> {
  const direct = directCall(emulator);
  const search = () => peer.request('tools/call', { name: 'search_records', arguments: SEARCH });
  for (let i = 0; i < warm; i++) {
    await search();
    await direct();
  }
  const searchMs: number[] = [];
  const directMs: number[] = [];
  for (let i = 0; i < calls; i++) {
    let t = performance.now();
    await search();
    searchMs.push(performance.now() - t);
    t = performance.now();
    await direct();
    directMs.push(performance.now() - t);
  }
  return { searchMs: median(searchMs), directMs: median(directMs) };
}

/**
 * search_records and the direct call, sequential and interleaved, against an emulator that makes
 * the direct call (`directMs` at once) take ODOO_MS.
 */
async function slowFigures(
  peerOf: PeerOf,
  directMs: number,
): Promise<Pick<Figures, 'searchSlowMs' | 'directSlowMs'>> {
  const emulator = await startEmulator({
    odooVersion: '19.0',
    latencyMs: Math.max(0, ODOO_MS - directMs),
  });
  const peer = peerOf(emulator);
  try {
    await peer.initialize();
    const { searchMs, directMs } = await interleaved(peer, emulator, 10, SLOW_CALLS);
    return { searchSlowMs: searchMs, directSlowMs: directMs };
  } finally {
    await peer.close();
    await emulator.close();
  }
}

/** A stdio server on an emulator: a build's CLI, or the SDK-only reference. */
type PeerOf = (emulator: Pick<EmulatorHandle, 'url' | 'database'>) => StdioPeer;
const cliPeer =
  (cli: string): PeerOf =>
  (emulator) =>
    new StdioPeer(cli, ['stdio', ...odooArgs(emulator)]);
const floorPeer: PeerOf = (emulator) =>
  new StdioPeer(
    join(ROOT, 'bench/sdk-floor.ts'),
    ['stdio', '--url', emulator.url, '--db', emulator.database],
    ['--import', 'tsx'],
  );

/** search_records latency of the SDK floor over stdio, as stdioFigures times the builds'. */
type FloorLatency = Pick<Figures, 'searchMs' | 'directMs' | 'searchSlowMs' | 'directSlowMs'>;
async function floorLatency(emulator: EmulatorHandle): Promise<FloorLatency> {
  const peer = floorPeer(emulator);
  try {
    await peer.initialize();
    // As many calls before the timed ones as a build gets (200 + 100).
    const { searchMs, directMs } = await interleaved(peer, emulator, 300, LATENCY_CALLS);
    return { searchMs, directMs, ...(await slowFigures(floorPeer, directMs)) };
  } finally {
    await peer.close();
  }
}

/** How to start a server under HTTP load: a build's CLI, or the SDK-only reference. */
type HttpServer = { cli: string } | { floor: true };

async function httpFigures(
  server: HttpServer,
  emulator: EmulatorHandle,
  label: string,
): Promise<Pick<Figures, 'modern' | 'legacy'>> {
  const port = await freePort();
  const argv =
    'cli' in server
      ? [
          ...NODE_ARGS,
          server.cli,
          'streamable_http',
          ...odooArgs(emulator),
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
        ]
      : [
          '--import',
          'tsx',
          join(ROOT, 'bench/sdk-floor.ts'),
          '--url',
          emulator.url,
          '--db',
          emulator.database,
          '--port',
          String(port),
        ];
  const name = 'cli' in server ? server.cli : 'bench/sdk-floor.ts';
  const child = spawn(process.execPath, argv, {
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, ODOO_API_KEY: API_KEY, ODOO_MCP_REQUESTS_PER_MINUTE: '0' },
  });
  const url = `http://127.0.0.1:${port}`;
  if (PIN) pin(child.pid as number, 0);
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 100) throw new Error(`${name} did not start an HTTP server`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const out: Pick<Figures, 'modern' | 'legacy'> = {};
    // The reference serves the 2026-07-28 era only (stateless, like the figure it is set beside).
    for (const era of 'cli' in server ? (['modern', 'legacy'] as const) : (['modern'] as const)) {
      const load = await openLoad(url, era, HTTP_CLIENTS, LAYOUT === 'bench' ? 0 : CLIENT_PROCESSES, LOAD);
      if (PIN) for (const pid of load.pids) pin(pid, 1);
      try {
        // Unmeasured first, so that neither build is measured against code that the other's
        // run already optimised (measured: HEAD against itself came out 0.7x without this).
        await load.run(WARMUP_SECONDS);
        const pids = { server: [child.pid as number], clients: load.pids, emulator: [emulator.pid] };
        const cpu = (ps: number[]) => ps.reduce((sum, p) => sum + cpuSeconds(p), 0);
        const before = Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, cpu(ps)]));
        const t = performance.now();
        const result = await load.run(SECONDS);
        const wall = (performance.now() - t) / 1000;
        const serverCpu = cpu(pids.server) - (before.server ?? 0);
        out[era] = { ...result, serverCpuMs: (serverCpu * 1000) / result.calls };
        const use = Object.entries(pids).map(
          ([k, ps]) => `${k} ${(((cpu(ps) - (before[k] ?? 0)) / wall) * 100).toFixed(0)}%`,
        );
        process.stderr.write(
          `${label} ${era === 'modern' ? '2026-07-28' : '2025-11-25'}: ${out[era]?.perSecond.toFixed(0)} calls/s; CPU of one core: ${use.join(', ')}${LAYOUT === 'split' ? '' : ' (the emulator shares the bench process)'}\n`,
        );
      } finally {
        await load.close();
      }
    }
    return out;
  } finally {
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  }
}

/** Binds a process and its threads to one CPU (Linux taskset). */
function pin(pid: number, cpu: number): void {
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
}

function bareNodeMs(): number {
  const t = performance.now();
  execFileSync(process.execPath, ['-e', '0']);
  return performance.now() - t;
}

/**
 * Builds REF as its own package.json says (`npm run build`) in a temporary worktree: with this
 * checkout's node_modules when REF's lockfile is the same as this one's, else after `npm ci`.
 */
function buildBaseline(ref: string): { cli: string; how: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'odoo-mcp-bench-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT, stdio: 'ignore' });
  const cleanup = () => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  // npm's output goes to stderr: stdout is the table.
  const quiet = { cwd: dir, stdio: ['ignore', 2, 2] as ['ignore', number, number] };
  try {
    const lock = (root: string) => readFileSync(join(root, 'package-lock.json'), 'utf8');
    const same = lock(dir) === lock(ROOT);
    if (same) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    else execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], quiet);
    execFileSync('npm', ['run', 'build'], quiet);
    const script = (
      JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { build: string } }
    ).scripts.build;
    const how = `${same ? 'same lockfile, node_modules shared' : 'lockfile differs, npm ci'}; npm run build = ${script}`;
    return { cli: join(dir, 'dist/cli.js'), how, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

const NO_STDIO: Omit<Figures, 'modern' | 'legacy'> = {
  toolsListBytes: Number.NaN,
  tools: Number.NaN,
  describeBytes: Number.NaN,
  describeTextBytes: Number.NaN,
  nodeMs: Number.NaN,
  startMs: Number.NaN,
  firstCallMs: Number.NaN,
  rssAfter200: Number.NaN,
  searchMs: Number.NaN,
  directMs: Number.NaN,
  searchSlowMs: Number.NaN,
  directSlowMs: Number.NaN,
  requests: {},
};

/** The median run of an era's repeats (by calls/s), with the median server CPU per call. */
function middle(runs: Array<HttpResult | undefined>): HttpResult | undefined {
  const done = runs.filter((r): r is HttpResult => r !== undefined).sort((a, b) => a.perSecond - b.perSecond);
  const mid = done[Math.floor(done.length / 2)];
  return mid && { ...mid, serverCpuMs: median(done.map((r) => r.serverCpuMs)) };
}

/**
 * Every build against one emulator; the HTTP runs repeated and interleaved (now, before, before,
 * now, ...) so that a change in the machine's load falls on both builds alike.
 */
async function measure(
  builds: Array<{ cli: string; label: string }>,
): Promise<{ figures: Figures[]; floor?: HttpResult; floorStdio?: FloorLatency }> {
  const emulator = await (LAYOUT === 'split' ? emulatorInChild() : emulatorInProcess());
  if (PIN && LAYOUT === 'split') pin(emulator.pid, 1);
  try {
    const figures: Figures[] = [];
    for (const b of builds)
      figures.push(opts.only === 'http' ? { ...NO_STDIO } : await stdioFigures(b.cli, emulator));
    const floorStdio = FLOOR && opts.only !== 'http' ? await floorLatency(emulator) : undefined;
    if (opts.only === 'stdio') return { figures, floorStdio };
    const runs = builds.map(() => [] as Array<Pick<Figures, 'modern' | 'legacy'>>);
    const floorRuns: Array<HttpResult | undefined> = [];
    for (let r = 0; r < REPEAT; r++) {
      const order = builds.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order) {
        const b = builds[i] as { cli: string; label: string };
        runs[i]?.push(await httpFigures({ cli: b.cli }, emulator, `${b.label} run ${r + 1}`));
      }
      if (FLOOR)
        floorRuns.push((await httpFigures({ floor: true }, emulator, `SDK floor run ${r + 1}`)).modern);
    }
    return {
      figures: figures.map((f, i) => ({
        ...f,
        modern: middle(runs[i]?.map((x) => x.modern) ?? []),
        legacy: middle(runs[i]?.map((x) => x.legacy) ?? []),
      })),
      floor: FLOOR ? middle(floorRuns) : undefined,
      floorStdio,
    };
  } finally {
    await emulator.close();
  }
}

const current = resolve(opts.cli ?? join(ROOT, 'dist/cli.js'));
if (!existsSync(current)) throw new Error('run npm run build first');
const base = opts['baseline-cli']
  ? { cli: resolve(opts['baseline-cli']), how: 'built beforehand', cleanup() {} }
  : opts.baseline
    ? buildBaseline(opts.baseline)
    : undefined;
const baseLabel = opts.baseline ?? (opts['baseline-cli'] ? 'baseline' : '');
try {
  const load = [loadavg()[0] ?? Number.NaN];
  const measured = await measure([
    { cli: current, label: 'now' },
    ...(base ? [{ cli: base.cli, label: baseLabel }] : []),
  ]);
  const [now, before] = measured.figures as [Figures, Figures | undefined];
  const floor = measured.floor;
  const floorStdio = measured.floorStdio;
  load.push(loadavg()[0] ?? Number.NaN);
  const bytes = (n: number) => `${n.toLocaleString('en')} B`;
  const rate = (r: HttpResult | undefined) =>
    r ? `${r.perSecond.toFixed(0)} calls/s (p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms)` : 'n/a';
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  type Row = {
    label: string;
    get(f: Figures): number;
    show(n: number, f: Figures): string;
    target?: string;
    ok?(n: number, b: Figures | undefined, f: Figures): boolean | undefined;
  };
  const rows: Row[] = [
    {
      label: '`tools/list` result',
      get: (f) => f.toolsListBytes,
      show: bytes,
      target: '<= 8,000 B',
      ok: (n) => n <= 8000,
    },
    { label: 'tools listed', get: (f) => f.tools, show: String },
    {
      label: '`describe_model res.partner`, text + structured',
      get: (f) => f.describeBytes,
      show: bytes,
      target: '<= 15,000 B',
      ok: (n) => n <= 15000,
    },
    { label: '`describe_model res.partner`, text only', get: (f) => f.describeTextBytes, show: bytes },
    {
      label: `cold start, spawn to \`tools/list\` answer (median of ${RUNS})`,
      get: (f) => f.startMs,
      show: (n, f) =>
        `${n.toFixed(0)} ms (${(n / f.nodeMs).toFixed(2)}x \`node -e 0\`, ${f.nodeMs.toFixed(0)} ms)`,
      target: '<= 2.5x `node -e 0`',
      ok: (n, _, f) => n / f.nodeMs <= 2.5,
    },
    {
      label: `first \`search_records\` of a start, ${FIRST_CALL_GAP_MS} ms after \`tools/list\` (login, field metadata, page; median of ${RUNS})`,
      get: (f) => f.firstCallMs,
      show: (n) => `${n.toFixed(0)} ms`,
    },
    {
      label: 'RSS after 200 tool calls (stdio)',
      get: (f) => f.rssAfter200,
      show: (n) => `${(n / 2 ** 20).toFixed(0)} MB`,
      target: '<= 100 MB',
      ok: (n) => n <= 100 * 2 ** 20,
    },
    {
      label: `\`search_records\` 20 rows x 3 fields over stdio, sequential (median of ${LATENCY_CALLS})`,
      get: (f) => f.searchMs,
      show: (n) => `${n.toFixed(2)} ms`,
    },
    {
      label: 'the same page as a direct JSON-2 `search_read`',
      get: (f) => f.directMs,
      show: (n) => `${n.toFixed(2)} ms`,
    },
    {
      label: '`search_records` / direct JSON-2',
      get: (f) => f.searchMs / f.directMs,
      show: (n) => `${n.toFixed(2)}x`,
      target: '<= 1.1x',
      ok: (n) => n <= 1.1,
    },
    {
      label: `\`search_records\` as above, the emulator as slow as the corpus's Odoo 19 (its direct call ${ODOO_MS} ms; median of ${SLOW_CALLS})`,
      get: (f) => f.searchSlowMs,
      show: (n) => `${n.toFixed(2)} ms`,
    },
    {
      label: 'the same page as a direct JSON-2 `search_read`, as slow',
      get: (f) => f.directSlowMs,
      show: (n) => `${n.toFixed(2)} ms`,
    },
    {
      label: '`search_records` / direct JSON-2, at a real Odoo 19 speed',
      get: (f) => f.searchSlowMs / f.directSlowMs,
      show: (n) => `${n.toFixed(2)}x`,
    },
    ...COUNTED_CALLS.map(
      ([name]): Row => ({
        label: `Odoo requests per warm \`${name}\``,
        get: (f) => f.requests[name] ?? Number.NaN,
        show: (n) => (Number.isNaN(n) ? 'error' : String(n)),
      }),
    ),
    {
      label: `stateless HTTP 2026-07-28, ${HTTP_CLIENTS} clients`,
      get: (f) => f.modern?.perSecond ?? Number.NaN,
      show: (_, f) => rate(f.modern),
      target: '>= 3x before and >= sessions',
      ok: (n, b, f) =>
        n >= (f.legacy?.perSecond ?? Number.NaN) && (b ? n >= 3 * (b.modern?.perSecond ?? Number.NaN) : true),
    },
    {
      label: `2025-11-25 sessions, ${HTTP_CLIENTS} clients`,
      get: (f) => f.legacy?.perSecond ?? Number.NaN,
      show: (_, f) => rate(f.legacy),
    },
    {
      label: 'server CPU per call, stateless 2026-07-28',
      get: (f) => f.modern?.serverCpuMs ?? Number.NaN,
      show: (n) => `${n.toFixed(2)} ms`,
    },
    {
      label: 'server CPU per call, 2025-11-25 sessions',
      get: (f) => f.legacy?.serverCpuMs ?? Number.NaN,
      show: (n) => `${n.toFixed(2)} ms`,
    },
  ];
  const layout =
    {
      bench: 'clients and emulator in the bench process',
      workers: `clients in ${CLIENT_PROCESSES} worker processes, emulator in the bench process`,
      split: `clients in ${CLIENT_PROCESSES} worker processes, emulator in its own process`,
    }[LAYOUT] + (PIN ? ', server pinned to CPU 0 and the load to CPU 1' : '');
  const out: string[] = [
    `node ${process.version}, ${cpus().length} cores, load average ${load.map((l) => l.toFixed(1)).join(' -> ')}; HTTP: ${HTTP_CLIENTS} ${LOAD === 'sdk' ? 'SDK' : 'raw JSON-RPC'} clients, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per era, median of ${REPEAT} interleaved runs, ${layout}; Odoo emulator 19.0 over JSON-2${NODE_ARGS.length ? `; CLI run with ${NODE_ARGS.join(' ')}` : ''}`,
    ...(base ? [`baseline ${baseLabel}: ${base.how}`] : []),
    '',
    before ? `| figure | ${baseLabel} | now | now / before | target |` : '| figure | now | target |',
    before ? '|---|---|---|---|---|' : '|---|---|---|',
  ];
  for (const row of rows) {
    const n = row.get(now);
    const verdict = !row.target
      ? ''
      : Number.isNaN(n)
        ? `${row.target}: not measured`
        : `${row.target}: ${met(row.ok?.(n, before, now) ?? false)}`;
    if (before) {
      const b = row.get(before);
      out.push(
        `| ${row.label} | ${row.show(b, before)} | ${row.show(n, now)} | ${b === 0 || Number.isNaN(n / b) ? '—' : `${(n / b).toFixed(2)}x`} | ${verdict} |`,
      );
    } else out.push(`| ${row.label} | ${row.show(n, now)} | ${verdict} |`);
  }
  if (floorStdio && !Number.isNaN(now.searchMs)) {
    const ratios = (f: FloorLatency) =>
      `${(f.searchMs / f.directMs).toFixed(2)}x (${f.searchMs.toFixed(2)} / ${f.directMs.toFixed(2)} ms) | ${(f.searchSlowMs / f.directSlowMs).toFixed(2)}x (${f.searchSlowMs.toFixed(2)} / ${f.directSlowMs.toFixed(2)} ms)`;
    out.push(
      '',
      "| `search_records` / direct JSON-2 over stdio | emulator at once | at the corpus's Odoo 19 speed |",
      '|---|---|---|',
      `| the SDK floor (bench/sdk-floor.ts over stdio: the SDK's serveStdio and one tool sending the same search_read) | ${ratios(floorStdio)} |`,
      `| now | ${ratios(now)} |`,
      ...(before ? [`| ${baseLabel} | ${ratios(before)} |`] : []),
    );
  }
  if (floor && now.modern) {
    // What no server on this SDK goes below: the ceiling of any gain over the baseline.
    const cpu = (r: HttpResult | undefined) => (r ? `${r.serverCpuMs.toFixed(2)} ms` : 'n/a');
    out.push(
      '',
      '| stateless HTTP 2026-07-28, 32 clients | calls/s | server CPU per call | CPU per call / the SDK floor |',
      '|---|---|---|---|',
      `| the SDK floor (bench/sdk-floor.ts: the SDK's handler and one tool sending the same search_read) | ${rate(floor)} | ${cpu(floor)} | 1.00x |`,
      `| now | ${rate(now.modern)} | ${cpu(now.modern)} | ${(now.modern.serverCpuMs / floor.serverCpuMs).toFixed(2)}x |`,
      ...(before?.modern
        ? [
            `| ${baseLabel} | ${rate(before.modern)} | ${cpu(before.modern)} | ${(before.modern.serverCpuMs / floor.serverCpuMs).toFixed(2)}x (the most any server on this SDK can gain over it) |`,
          ]
        : []),
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  base?.cleanup();
}
