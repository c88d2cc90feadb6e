// The old HTTP+SSE transport (protocol 2024-11-05) for clients that predate streamable HTTP:
// `GET /sse` opens an event stream whose first event, `endpoint`, names the URL to POST to
// (`/messages?sessionId=...`); each POST carries one JSON-RPC message (or a batch) for that
// session's server, answered 202; the server's messages go out as `message` events.
// The v2 SDK no longer ships this transport, so it is implemented here over the SDK's Transport
// interface (see the commit that added it for why not the deprecated server-legacy package).
import {
  type JSONRPCMessage,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/server';

const encoder = new TextEncoder();

/** Most messages accepted in one POSTed batch. */
export const MAX_BATCH = 100;

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
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /**
   * Validates a POSTed body and hands each message to the session's server. Throws (nothing
   * delivered) when any element is not a JSON-RPC message.
   */
  deliver(body: unknown, extra: MessageExtraInfo): void {
    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0 || items.length > MAX_BATCH) {
      throw new Error(`a batch holds 1 to ${MAX_BATCH} messages`);
    }
    const messages = items.map((item) => parseJSONRPCMessage(item));
    for (const m of messages) this.onmessage?.(m, extra);
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

  private write(frame: string): void {
    if (this.closed || !this.controller) return;
    try {
      this.controller.enqueue(encoder.encode(frame));
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
