// Memory of the HTTP front under load: the server runs in a child process (`--expose-gc`, so that
// garbage can be told from retained objects), the Odoo emulator and the MCP clients (the SDK's
// client over loopback HTTP) in this one. Prints the server's RSS and heapUsed at start, under load
// (N clients calling search_records, half of them 2026-07-28 stateless, half 2025-11-25 sessions),
// after the clients have ended their sessions and the server was idle, before and after a full gc;
// then what one idle 2025-era session that nobody ended costs.
// Run: npx tsx bench/http-memory.ts [clients, default 32] [seconds of load, default 10] [idle seconds,
// default 5] [rounds, default 1: with more, a heap that grows round after round after gc is a leak].
// Not a test: the figures depend on the machine.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { configSchema } from '../src/config/schema.js';
import { startEmulator } from '../src/emulator/index.js';
import { createHttpServer } from '../src/http/server.js';
import { createServices } from '../src/mcp/server.js';
import { OdooClient } from '../src/odoo/client.js';

const KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';

interface Sample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  sessions: number;
}

type ToServer = { type: 'sample'; gc: boolean; id: number };
type FromServer = { type: 'listening'; url: string } | ({ type: 'sample'; id: number } & Sample);

/** The child: the HTTP front alone, answering memory samples over IPC. */
async function serve(odooUrl: string, database: string, maxSessions: number): Promise<void> {
  const config = configSchema.parse({
    odoo_url: odooUrl,
    database,
    username: 'admin',
    api_key: KEY,
    requests_per_minute: 0,
    pool_size: 16,
    logging: { level: 'ERROR' },
    http: { host: '127.0.0.1', port: 0, max_sessions: maxSessions, max_sessions_per_client: maxSessions },
  });
  const odoo = OdooClient.fromConfig(config);
  const services = createServices(odoo, config, { version: 'bench' });
  const server = createHttpServer({ config, mode: 'streamable_http', odoo, services, version: 'bench' });
  const { url } = await server.listen();
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (m: ToServer) => {
    if (m.type !== 'sample') return;
    if (m.gc && gc) {
      // Twice: the first pass may only queue finalizers and weak callbacks.
      gc();
      gc();
    }
    const u = process.memoryUsage();
    const reply: FromServer = {
      type: 'sample',
      id: m.id,
      rss: u.rss,
      heapUsed: u.heapUsed,
      heapTotal: u.heapTotal,
      external: u.external,
      arrayBuffers: u.arrayBuffers,
      sessions: server.sessionCount,
    };
    process.send?.(reply);
  });
  process.on('disconnect', () => {
    void server.close().then(() => odoo.close());
  });
  process.send?.({ type: 'listening', url } satisfies FromServer);
}

function startServer(odooUrl: string, database: string, maxSessions: number) {
  const child: ChildProcess = fork(
    fileURLToPath(import.meta.url),
    ['--serve', odooUrl, database, String(maxSessions)],
    {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  let next = 0;
  const waiting = new Map<number, (s: Sample) => void>();
  const listening = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    child.on('message', (m: FromServer) => {
      if (m.type === 'listening') resolve(m.url);
      else waiting.get(m.id)?.(m);
    });
  });
  return {
    listening,
    sample(gc: boolean): Promise<Sample> {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, (s) => {
          waiting.delete(id);
          resolve(s);
        });
        child.send({ type: 'sample', gc, id } satisfies ToServer);
      });
    },
    stop(): Promise<void> {
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill(), 5000).unref();
      });
    },
  };
}

const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
const line = (label: string, s: Sample) =>
  `${label.padEnd(34)} rss ${mb(s.rss).padStart(9)}  heapUsed ${mb(s.heapUsed).padStart(9)}  heapTotal ${mb(s.heapTotal).padStart(9)}  external ${mb(s.external).padStart(8)}  sessions ${s.sessions}\n`;

async function connect(url: string, era: 'modern' | 'legacy') {
  const client = new Client(
    { name: 'bench', version: '1' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', url));
  await client.connect(transport);
  return { client, transport };
}

async function main(): Promise<void> {
  const clients = Number(process.argv[2] ?? 32);
  const seconds = Number(process.argv[3] ?? 10);
  const idleSeconds = Number(process.argv[4] ?? 5);
  const rounds = Number(process.argv[5] ?? 1);
  const abandoned = 200;
  const emulator = await startEmulator({ odooVersion: '19.0' });
  const server = startServer(emulator.url, emulator.database, Math.max(1000, abandoned + clients));
  try {
    const url = await server.listening;
    process.stdout.write(
      `HTTP front memory (server in its own process, --expose-gc), ${clients} clients (half stateless, half sessions) calling search_records for ${seconds} s, then ${idleSeconds} s idle\n`,
    );
    process.stdout.write(line('start', await server.sample(false)));
    process.stdout.write(line('start, after gc', await server.sample(true)));

    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? `round ${round}: ` : '';
      const open = await Promise.all(
        Array.from({ length: clients }, (_, i) => connect(url, i % 2 === 0 ? 'modern' : 'legacy')),
      );
      const deadline = Date.now() + seconds * 1000;
      let calls = 0;
      let peak: Sample | undefined;
      const sampler = setInterval(() => {
        void server.sample(false).then((s) => {
          if (!peak || s.rss > peak.rss) peak = s;
        });
      }, 500);
      await Promise.all(
        open.map(async ({ client }, i) => {
          while (Date.now() < deadline) {
            await client.callTool({
              name: 'search_records',
              arguments: { model: 'res.partner', limit: 5, offset: i % 20, fields: ['name', 'email'] },
            });
            calls++;
          }
        }),
      );
      clearInterval(sampler);
      const loaded = await server.sample(false);
      if (peak) process.stdout.write(line(`${tag}under load, peak rss`, peak));
      process.stdout.write(line(`${tag}end of load (${calls} calls)`, loaded));
      // Clients end their sessions (DELETE /mcp), as well-behaved ones do.
      await Promise.all(
        open.map(async ({ client, transport }) => {
          await transport.terminateSession().catch(() => undefined);
          await client.close();
        }),
      );
      await new Promise((r) => setTimeout(r, idleSeconds * 1000));
      process.stdout.write(line(`${tag}after ${idleSeconds} s idle`, await server.sample(false)));
      process.stdout.write(line(`${tag}after ${idleSeconds} s idle, gc`, await server.sample(true)));
    }

    // Sessions nobody ends stay until session_timeout_minutes (or eviction): what one costs.
    const before = await server.sample(true);
    const left = await Promise.all(Array.from({ length: abandoned }, () => connect(url, 'legacy')));
    const after = await server.sample(true);
    process.stdout.write(line(`${abandoned} idle sessions left open, gc`, after));
    process.stdout.write(
      `one idle 2025-era session holds about ${((after.heapUsed - before.heapUsed) / abandoned / 1024).toFixed(0)} KB of heap\n`,
    );
    await Promise.all(
      left.map(async ({ client, transport }) => {
        await transport.terminateSession().catch(() => undefined);
        await client.close();
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    process.stdout.write(line('those sessions ended, gc', await server.sample(true)));
  } finally {
    await server.stop();
    await emulator.close();
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] ?? '', process.argv[4] ?? '', Number(process.argv[5] ?? 1000));
} else {
  await main();
}
