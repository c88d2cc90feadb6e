// MCP over stdio: the SDK picks the spec era from the client's first message (server/discover for
// 2026-07-28, initialize for 2025-11-25) and pins one server instance for the connection. The wire
// under it is ours: it reads lines with a size bound, answers every line that is not a JSON-RPC
// message (the SDK's reader drops them silently, and closes for good on an over-long line), and
// lets answers to requests already read go out when stdin ends, so `echo '{...}' | odoo-mcp-server`
// prints its answer.
import {
  INTERNAL_ERROR,
  type JSONRPCMessage,
  type McpServer,
  ProtocolError,
  type Transport,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../logging/logger.js';
import { errorResponse, INVALID_REQUEST, InboundScreen, parseError, peekId } from './inbound.js';
import { listenedUris } from './listen.js';
import { createServer, type ServerDeps } from './server.js';
import { SubscriptionSet } from './subscriptions.js';

export interface StdioOptions {
  maxLineBytes: number;
  /** Longest wait, after stdin ends, for answers to requests already read. */
  drainMs?: number;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /**
   * Called once, just after the first tools/list answer went out: a client lists tools as it
   * starts, then waits for its model to choose one, time in which the server can get ready.
   */
  onListed?: () => void;
}

export interface StdioHandle {
  close(): Promise<void>;
  /** Settles when the connection is over: stdin ended and every request read was answered. */
  readonly done: Promise<void>;
}

export function serveOverStdio(
  deps: ServerDeps,
  logger: Logger | undefined,
  opts: StdioOptions,
): StdioHandle {
  let modern: McpServer | undefined;
  // subscriptions/listen streams of this connection share one set: a URI two streams watch is
  // polled and announced once, and the SDK's router hands the update to each stream that asked.
  const watched = new SubscriptionSet(deps, (uri) => {
    modern?.server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  /** Listen streams by request id: the URIs they watch. */
  const listens = new Map<string | number, string[]>();
  /** Listens whose URIs are being checked; true once the client cancelled one meanwhile. */
  const checking = new Map<string | number, boolean>();
  /** How many listen streams watch each URI: the last one to go stops watching it. */
  const streams = new Map<string, number>();
  const hold = async (uri: string) => {
    await watched.add(uri);
    streams.set(uri, (streams.get(uri) ?? 0) + 1);
  };
  const letGo = (uri: string) => {
    const n = (streams.get(uri) ?? 1) - 1;
    if (n > 0) streams.set(uri, n);
    else {
      streams.delete(uri);
      watched.remove(uri);
    }
  };
  const unwatch = (id: string | number) => {
    for (const uri of listens.get(id) ?? []) letGo(uri);
    listens.delete(id);
  };
  /** The first tools/list request, until its answer is out. */
  let listing: string | number | undefined;
  let listed = !opts.onListed;
  const wire = new LineTransport(
    opts,
    logger,
    (message) => {
      const m = message as {
        id?: string | number;
        method?: string;
        params?: { requestId?: string | number };
      };
      if (!listed && listing === undefined && m.method === 'tools/list' && m.id !== undefined) listing = m.id;
      if (m.method === 'notifications/cancelled' && m.params?.requestId !== undefined) {
        // A cancelled first tools/list gets no answer: the next one is waited for instead.
        if (m.params.requestId === listing) listing = undefined;
        if (checking.has(m.params.requestId)) checking.set(m.params.requestId, true);
        unwatch(m.params.requestId);
        return false;
      }
      // Only a connection in the 2026-07-28 era has listen streams; the SDK refuses it otherwise.
      const uris = modern ? listenedUris(message) : undefined;
      if (!uris?.length || m.id === undefined) return false;
      const id = m.id;
      checking.set(id, false);
      void (async () => {
        const added: string[] = [];
        try {
          for (const uri of new Set(uris)) {
            await hold(uri);
            added.push(uri);
          }
        } catch (err) {
          for (const uri of added) letGo(uri);
          checking.delete(id);
          const code =
            err instanceof ProtocolError && typeof err.code === 'number' ? err.code : INTERNAL_ERROR;
          wire.reply(errorResponse(id, code, err instanceof Error ? err.message : String(err)));
          return;
        }
        const cancelled = checking.get(id);
        checking.delete(id);
        if (cancelled) {
          for (const uri of added) letGo(uri);
          return;
        }
        listens.set(id, added);
        wire.deliver(message);
      })();
      return true;
    },
    // The SDK refused the listen after all (its envelope, its filter, the stream limit), or closed it.
    (id) => {
      unwatch(id);
      if (id === listing && !listed) {
        listed = true;
        // After the answer is written, not before it.
        setImmediate(() => opts.onListed?.());
      }
    },
  );
  const handle = serveStdio(
    (ctx) => {
      const server = createServer(deps);
      modern = ctx.era === 'modern' ? server : undefined;
      return server;
    },
    {
      transport: wire,
      onerror: (error) => logger?.debug({ err: error.message }, 'MCP stdio transport error'),
    },
  );
  void wire.done.then(() => watched.close());
  return { close: () => handle.close(), done: wire.done };
}

const NEWLINE = 0x0a;
/** How much of an over-long line is kept to find its id. */
const HEAD_BYTES = 4096;

/** Newline-delimited JSON-RPC on a pair of streams, screened by `screenMessage`. */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly stdin: NodeJS.ReadableStream;
  private readonly stdout: NodeJS.WritableStream;
  private chunks: Buffer[] = [];
  private size = 0;
  /** Skipping the rest of an over-long line. */
  private discarding = false;
  /** The start of the line being skipped, where its id may be read. */
  private head = '';
  private closed = false;
  private ended = false;
  /** Requests handed to the SDK and not answered yet. */
  private readonly pending = new Set<string | number>();
  private readonly inbound = new InboundScreen();
  private drainTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: StdioOptions,
    private readonly logger?: Logger,
    /** Takes a message before the SDK sees it (true: it will answer or deliver it itself). */
    private readonly divert?: (message: JSONRPCMessage) => boolean,
    /** Hears each answer the SDK sends (an error, or the end of a listen stream), by request id. */
    private readonly answered?: (id: string | number) => void,
  ) {
    this.stdin = opts.stdin;
    this.stdout = opts.stdout;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  async start(): Promise<void> {
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('close', this.onEnd);
    this.stdin.on('error', this.onStdinError);
  }

  private readonly onStdinError = (err: Error) => this.onerror?.(err);

  private readonly onData = (chunk: Buffer | string) => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (;;) {
      const nl = buf.indexOf(NEWLINE);
      const part = nl === -1 ? buf : buf.subarray(0, nl);
      if (!this.discarding) {
        if (this.size + part.length > this.opts.maxLineBytes) {
          // Over the limit: drop what we have and skip to the end of the line, without buffering it.
          this.discarding = true;
          const kept = [...this.chunks, part];
          this.head = Buffer.concat(kept, Math.min(HEAD_BYTES, this.size + part.length)).toString('utf8');
          this.chunks = [];
          this.size = 0;
        } else {
          this.chunks.push(part);
          this.size += part.length;
        }
      }
      if (nl === -1) return;
      buf = buf.subarray(nl + 1);
      if (this.discarding) {
        this.discarding = false;
        const id = peekId(this.head);
        this.head = '';
        this.answer(
          errorResponse(
            id,
            INVALID_REQUEST,
            `Invalid Request: the line is longer than ${this.opts.maxLineBytes} bytes (stdio.max_line_bytes) and was skipped; send smaller requests.`,
          ),
          'an over-long line',
        );
      } else {
        const line = Buffer.concat(this.chunks).toString('utf8');
        this.chunks = [];
        this.size = 0;
        this.onLine(line);
      }
    }
  };

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.answer(parseError('the line is not valid JSON'), 'a line that is not JSON');
      return;
    }
    const screened = this.inbound.screen(raw);
    if (screened.kind === 'reply') {
      if (screened.response) this.answer(screened.response, screened.note);
      else this.logger?.warn(`stdio: ignored a notification (${screened.note})`);
      return;
    }
    if (this.divert?.(screened.message)) return;
    this.deliver(screened.message);
  }

  /** Hands a message to the SDK. A listen stream is not an answer to wait for when stdin ends. */
  deliver(message: JSONRPCMessage): void {
    const m = message as { id?: string | number; method?: string };
    if (m.id !== undefined && m.method !== undefined && m.method !== 'subscriptions/listen')
      this.pending.add(m.id);
    this.onmessage?.(message);
  }

  /** Answers a message the SDK was not given. */
  reply(response: object): void {
    this.write(response).catch((err: unknown) =>
      this.onerror?.(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private answer(response: object, note: string): void {
    const code = (response as { error?: { code: number } }).error?.code;
    this.logger?.warn(`stdio: answered ${note} with JSON-RPC error ${code}`);
    this.write(response).catch((err: unknown) =>
      this.onerror?.(err instanceof Error ? err : new Error(String(err))),
    );
  }

  private readonly onEnd = () => {
    if (this.ended) return;
    this.ended = true;
    if (this.pending.size === 0) {
      void this.close();
      return;
    }
    // Let the answers to requests already read go out, for a while.
    this.drainTimer = setTimeout(() => void this.close(), this.opts.drainMs ?? 60_000);
    this.drainTimer.unref();
  };

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    const m = message as { id?: string | number; result?: unknown; error?: unknown };
    const isAnswer = m.id !== undefined && ('result' in m || 'error' in m);
    const out = this.inbound.present(message);
    await this.write(out);
    if (isAnswer && m.id !== undefined) {
      this.answered?.(m.id);
      this.pending.delete(m.id);
      if (this.ended && this.pending.size === 0) void this.close();
    }
  }

  private write(message: object): Promise<void> {
    // Resolves once the frame is flushed, which is also the backpressure.
    return new Promise((resolve, reject) => {
      this.stdout.write(`${JSON.stringify(message)}\n`, (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.drainTimer);
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('close', this.onEnd);
    this.stdin.off('error', this.onStdinError);
    (this.stdin as NodeJS.ReadStream).pause?.();
    this.chunks = [];
    this.onclose?.();
    this.resolveDone();
  }
}
