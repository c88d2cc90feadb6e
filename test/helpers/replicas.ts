// Several server processes (the built CLI) on loopback ports, a real redis-server the test starts,
// and a tiny round-robin proxy in front of the replicas, as a load balancer would be.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export function hasRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface RedisProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** redis-server without persistence on a free port; stop() and start() keep the port. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(
      () =>
        new Promise((ok) => {
          const s = createServer();
          s.once('error', () => ok(true)); // in use: redis listens
          s.listen(port, '127.0.0.1', () => s.close(() => ok(false)));
        }),
      'redis-server',
    );
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((ok) => {
      c.once('exit', () => ok());
      c.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}

export interface Replica {
  url: string;
  child: ChildProcess;
  readonly alive: boolean;
  stderr: string[];
  kill(): Promise<void>;
}

/** One replica: `streamable_http` on `env` (on the built-in demo backend unless it names ODOO_URL). */
export async function startReplica(env: Record<string, string>, args: string[] = []): Promise<Replica> {
  const port = await freePort();
  const backend = env.ODOO_URL ? [] : ['--demo'];
  const child = spawn(
    process.execPath,
    [CLI, 'streamable_http', ...backend, '--port', String(port), ...args],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`replica exited: ${stderr.join('')}`);
    return (await fetch(`${url}/health`)).ok;
  }, 'the replica');
  return {
    url,
    child,
    stderr,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    kill: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGKILL');
      }),
  };
}

export interface Balancer {
  url: string;
  close(): Promise<void>;
}

/** Round-robin over the targets, request by request; a target that refuses is skipped. */
export async function startBalancer(targets: () => string[]): Promise<Balancer> {
  let next = 0;
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const list = targets();
      const forward = (tries: number) => {
        const target = new URL(list[next++ % list.length] as string);
        const up = httpRequest(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', () => {
          // A replica that is gone: the next one gets the request, as a load balancer retries.
          if (tries + 1 < list.length) forward(tries + 1);
          else if (!res.headersSent) res.writeHead(502).end();
        });
        // A client that goes away closes its upstream too, as load balancers do (a stream ends).
        res.on('close', () => up.destroy());
        up.end(body);
      };
      forward(0);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** One JSON-RPC message POSTed to a server's /mcp, as a streamable HTTP client sends it. */
export function postMcp(
  url: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(message),
  });
}

/** The headers a request of a 2025-11-25 session carries. */
export const sessionHeaders = (sid: string) => ({
  'mcp-session-id': sid,
  'mcp-protocol-version': '2025-11-25',
});

export interface Listener {
  client: Client;
  /** The URIs of the updates heard, in order. */
  seen: string[];
  close(): Promise<void>;
}

/** A 2026-07-28 client on `url` holding a subscriptions/listen stream on `uris`. */
export async function listenOn(
  url: string,
  uris: string[],
  headers: Record<string, string> = {},
): Promise<Listener> {
  const client = new Client(
    { name: 'listener', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers } }));
  const seen: string[] = [];
  client.setNotificationHandler('notifications/resources/updated', (n) => {
    seen.push(n.params.uri);
  });
  const sub = await client.listen({ resourceSubscriptions: uris });
  return {
    client,
    seen,
    async close() {
      await sub.close();
      await client.close();
    },
  };
}
