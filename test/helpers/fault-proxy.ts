// A reverse proxy in front of the emulator that breaks one chosen exchange the way networks do:
// after Odoo has run the call (answer cut, truncated, delayed past the client's timeout, or
// replaced by a gateway's 504), or before it reaches Odoo (dropped).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export type Fault = 'cut' | 'truncate' | 'delay' | 'gateway' | 'drop';
export const FAULTS_AFTER_ODOO: Fault[] = ['cut', 'truncate', 'delay', 'gateway'];

export interface FaultProxy {
  url: string;
  /** Breaks the next exchange whose request calls `method`, then passes everything through. */
  arm(fault: Fault, method: string, opts?: { delayMs?: number }): void;
  /** Whether the armed fault has fired. */
  readonly fired: boolean;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

/** Whether a request of any Odoo protocol calls `method` (JSON-2 path, JSON-RPC or XML-RPC body). */
export function callsMethod(path: string, body: string, method: string): boolean {
  if (path.startsWith('/json/2/')) return path.split('?')[0]?.endsWith(`/${method}`) ?? false;
  if (body.includes(`<methodName>execute_kw</methodName>`)) {
    // execute_kw(db, uid, secret, model, method, ...): the method is the fifth string-or-int param.
    const params = [...body.matchAll(/<param>\s*<value>\s*(?:<(?:string|int|i4)>)?([^<]*)/g)].map(
      (m) => m[1],
    );
    return params[4] === method;
  }
  if (body.startsWith('{')) {
    try {
      const args = (JSON.parse(body) as { params?: { args?: unknown[] } }).params?.args;
      return Array.isArray(args) && args[4] === method;
    } catch {
      return false;
    }
  }
  return false;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  let armed: { fault: Fault; method: string; delayMs: number } | undefined;
  let fired = false;
  const sockets = new Set<import('node:net').Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    const path = req.url ?? '/';
    const hit = armed && callsMethod(path, body.toString('utf8'), armed.method) ? armed : undefined;
    if (hit) {
      armed = undefined;
      fired = true;
    }
    if (hit?.fault === 'drop') {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
    }
    const up = await request(`${upstream}${path}`, {
      method: req.method as 'GET' | 'POST',
      headers,
      body: body.length ? body : undefined,
    });
    const answer = Buffer.from(await up.body.arrayBuffer());
    const outHeaders: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) {
      if (!HOP_BY_HOP.has(k) && v !== undefined) outHeaders[k] = v;
    }
    const reply = () => {
      res.writeHead(up.statusCode, { ...outHeaders, 'content-length': String(answer.length) });
      res.end(answer);
    };
    switch (hit?.fault) {
      case undefined:
        return reply();
      case 'cut':
        req.socket.destroy();
        return;
      case 'truncate':
        res.writeHead(up.statusCode, { ...outHeaders, 'content-length': String(answer.length) });
        res.write(answer.subarray(0, Math.floor(answer.length / 2)), () => req.socket.destroy());
        return;
      case 'delay':
        setTimeout(() => {
          if (!res.destroyed) reply();
        }, hit.delayMs);
        return;
      case 'gateway':
        res.writeHead(504, { 'content-type': 'text/html' });
        res.end(
          '<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>',
        );
        return;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arm(fault, method, opts = {}) {
      armed = { fault, method, delayMs: opts.delayMs ?? 1_000 };
      fired = false;
    },
    get fired() {
      return fired;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
