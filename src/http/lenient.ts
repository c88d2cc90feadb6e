// Where the HTTP front is as lenient as the spec lets a server be, so that the calls users have in
// scripts (curl with no Accept header or `*/*`, an `initialize` without params, a request without
// an id) work verbatim, while everything that protects users (Host, Origin, auth, sessions) stays.
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { type InboundScreen, mayNeedRewrite } from '../mcp/inbound.js';

const BOTH = 'application/json, text/event-stream';

/**
 * A POST whose Accept header does not ask for an event stream but takes JSON (absent, `*\/*`,
 * `application/*`, `application/json`) is handed to the SDK as accepting both, and answered with
 * JSON only. Returns whether the answer must be JSON.
 */
export function relaxAccept(headers: Headers): boolean {
  const accept = (headers.get('accept') ?? '').toLowerCase();
  if (accept.includes('text/event-stream')) return false;
  const takesJson =
    accept.trim() === '' ||
    accept.includes('*/*') ||
    accept.includes('application/*') ||
    accept.includes('application/json');
  if (!takesJson) return false;
  headers.set('accept', BOTH);
  return true;
}

/** The JSON-RPC messages of an event-stream body (its `data:` fields, one message per event). */
function sseMessages(text: string): unknown[] {
  const out: unknown[] = [];
  for (const event of text.split(/\r?\n\r?\n/)) {
    const data = event
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n');
    if (!data) continue;
    try {
      out.push(JSON.parse(data));
    } catch {
      // not a message: skip it
    }
  }
  return out;
}

const isAnswer = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && 'id' in m && ('result' in m || 'error' in m);

/** An answer whose whole body is known (JSON, or an event stream collapsed to JSON), to write in one go. */
export interface WholeAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The SDK's response made presentable: an event stream collapsed to its JSON answers when the
 * client only takes JSON (progress and log notifications are dropped: such a client cannot see
 * them), anonymous requests answered with `"id": null`, zod dumps turned into -32602 lines. A JSON
 * answer comes back whole (read once, never put back into a stream); an event stream as a Response.
 */
export async function presentResponse(
  response: Response,
  opts: { jsonOnly: boolean; inbound: InboundScreen },
): Promise<Response | WholeAnswer> {
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  const sse = type.startsWith('text/event-stream');
  if (sse && !opts.jsonOnly) return presentStream(response, opts.inbound);
  if (!sse && !type.startsWith('application/json')) return response;
  const text = await response.text();
  let messages: unknown[];
  let single = true;
  if (sse) {
    messages = sseMessages(text).filter(isAnswer);
    single = messages.length === 1;
  } else {
    if (!opts.inbound.awaitsAnonymous && !mayNeedRewrite(text)) {
      return { status: response.status, headers: response.headers, text };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { status: response.status, headers: response.headers, text };
    }
    single = !Array.isArray(parsed);
    messages = Array.isArray(parsed) ? parsed : [parsed];
  }
  const shown = messages.map((m) => opts.inbound.present(m as JSONRPCMessage));
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  if (shown.length === 0) return { status: 202, headers, text: '' };
  return { status: response.status, headers, text: JSON.stringify(single ? shown[0] : shown) };
}

/**
 * An event stream passed on as it comes, each event whose message needs it presented (see
 * presentOutbound): answers in a stream are errors like any other.
 */
function presentStream(response: Response, inbound: InboundScreen): Response {
  if (!response.body) return response;
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const present = (event: string): string => {
    if (!inbound.awaitsAnonymous && !mayNeedRewrite(event)) return event;
    const lines = event.split(/\r?\n/);
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
    let message: unknown;
    try {
      message = JSON.parse(data.join('\n'));
    } catch {
      return event;
    }
    const shown = JSON.stringify(inbound.present(message as JSONRPCMessage));
    const kept = lines.filter((l) => !l.startsWith('data:'));
    return [...kept, `data: ${shown}`].join('\n');
  };
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        for (let m = /\r?\n\r?\n/.exec(pending); m; m = /\r?\n\r?\n/.exec(pending)) {
          const event = pending.slice(0, m.index);
          pending = pending.slice(m.index + m[0].length);
          controller.enqueue(encoder.encode(`${present(event)}\n\n`));
        }
      },
      flush(controller) {
        pending += decoder.decode();
        if (pending) controller.enqueue(encoder.encode(pending));
      },
    }),
  );
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, headers });
}
