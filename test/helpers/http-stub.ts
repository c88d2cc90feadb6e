// A loopback HTTP server whose answers a test scripts request by request. Any request the test
// did not expect fails the test instead of being answered with something plausible.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface StubReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait before answering. */
  delayMs?: number;
  /** Destroy the socket instead of answering (after writing `partial` if given). */
  reset?: boolean;
  partial?: string;
}

export type StubHandler = (req: StubRequest) => StubReply | Promise<StubReply>;

export interface HttpStub {
  url: string;
  requests: StubRequest[];
  unexpected: StubRequest[];
  handle(handler: StubHandler): void;
  close(): Promise<void>;
}

export async function startHttpStub(initial?: StubHandler): Promise<HttpStub> {
  let handler: StubHandler | undefined = initial;
  const requests: StubRequest[] = [];
  const unexpected: StubRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: StubRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      void (async () => {
        let reply: StubReply;
        try {
          if (!handler) throw new Error('no handler');
          reply = await handler(request);
        } catch (err) {
          unexpected.push(request);
          reply = { status: 599, body: `unexpected request: ${(err as Error).message}` };
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (reply.reset) {
          if (reply.partial) {
            res.writeHead(reply.status ?? 200, reply.headers);
            res.write(reply.partial);
          }
          setImmediate(() => req.socket.destroy());
          return;
        }
        res.writeHead(reply.status ?? 200, reply.headers ?? {});
        res.end(reply.body ?? '');
      })();
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    handle(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
