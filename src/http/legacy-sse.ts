// The old HTTP+SSE transport (protocol 2024-11-05) for clients that predate streamable HTTP:
// `GET /sse` opens an event stream whose first event, `endpoint`, names the URL to POST to
// (`/messages?sessionId=...`); each POST carries one JSON-RPC message (or a batch) for that
// session's server, answered 202; the server's messages go out as `message` events.
// The v2 SDK no longer ships this transport, so it is implemented here over the SDK's Transport
// interface (see the commit that added it for why not the deprecated server-legacy package).
import type { JSONRPCMessage, MessageExtraInfo, Transport } from '@modelcontextprotocol/server';
import { InboundScreen } from '../mcp/inbound.js';

const encoder = new TextEncoder();

/** Most messages accepted in one POSTed batch. */
export const MAX_BATCH = 100;

/** The messages of a POSTed body; throws when a batch is empty or too long. */
export function batchOf(body: unknown): unknown[] {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0 || items.length > MAX_BATCH) {
    throw new Error(`a batch holds 1 to ${MAX_BATCH} messages`);
  }
  return items;
}

export class SseServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  /** The event stream to send as the body of the GET /sse response. */
  readonly stream: ReadableStream<Uint8Array>;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private keepAlive?: NodeJS.Timeout;
  private started = false;
  private closed = false;
  private readonly inbound = new InboundScreen();

  constructor(
    readonly sessionId: string,
    /** Where clients POST their messages, with the session id in the query. */
    private readonly endpoint: string,
    private readonly keepAliveMs = 15_000,
  ) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      // The client went away: end the session.
      cancel: () => this.close(),
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('SseServerTransport already started');
    this.started = true;
    this.write(`event: endpoint\ndata: ${this.endpoint}\n\n`);
    if (this.keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(': keepalive\n\n'), this.keepAliveMs);
      this.keepAlive.unref();
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('Not connected: the SSE stream is closed');
    this.writeMessage(this.inbound.present(message));
  }

  /**
   * Hands each POSTed message to the session's server; one that is not a valid message is answered
   * on the stream with the JSON-RPC error that says why (as stdio does). Throws, delivering nothing,
   * when the batch is empty or too long.
   */
  deliver(body: unknown, extra: MessageExtraInfo): void {
    for (const item of batchOf(body)) {
      const screened = this.inbound.screen(item);
      if (screened.kind === 'forward') this.onmessage?.(screened.message, extra);
      else if (screened.response) this.writeMessage(screened.response);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    try {
      this.controller?.close();
    } catch {
      // already closed or cancelled
    }
    this.onclose?.();
  }

  private writeMessage(message: object): void {
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  private write(frame: string): void {
    if (this.closed || !this.controller) return;
    try {
      this.controller.enqueue(encoder.encode(frame));
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
