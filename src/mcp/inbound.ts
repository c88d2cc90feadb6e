// Every message a client sends passes here before the SDK sees it, on stdio and HTTP alike, so that
// every request gets exactly one answer that says what is wrong: JSON-RPC's -32700/-32600 for what
// is not a message, -32602 naming the parameter for bad params (the SDK would drop such lines, or
// answer -32603 with a raw zod issue list). It is also where the server is lenient the way the spec
// lets it be: the reference project's calls (no `jsonrpc`, no `id`, `get_resource`, an `initialize`
// without params) are served as what they clearly mean.
import { randomUUID } from 'node:crypto';
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
} from '@modelcontextprotocol/server';

/** The newest 2025-era revision: what a params-less `initialize` is answered as. */
export const NEWEST_2025_VERSION = '2025-11-25';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

/**
 * Deepest nesting of lists and objects accepted in a message's params (the message itself is level
 * 1). Tools check their own, lower, `limits.max_depth`; this one keeps anything deeper from reaching
 * code that recurses (JSON.stringify overflows the stack at a few thousand levels).
 */
export const MAX_MESSAGE_DEPTH = 128;

export interface ErrorResponse {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

export type Screened =
  /** Hand this to the SDK; `anonymous` requests had no id and are answered with `"id": null`. */
  | { kind: 'forward'; message: JSONRPCMessage; anonymous: boolean }
  /** Answer this (or nothing, for a notification) without the SDK; `note` is for the log. */
  | { kind: 'reply'; response: ErrorResponse | undefined; note: string };

/** Method names of the reference project (mcp-odoo-panda) and what they are here. */
const ALIASES: Record<string, string> = { get_resource: 'resources/read' };

export function errorResponse(id: string | number | null, code: number, message: string): ErrorResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

export function parseError(detail: string): ErrorResponse {
  return errorResponse(
    null,
    PARSE_ERROR,
    `Parse error: ${detail}. Send one JSON-RPC 2.0 message, e.g. {"jsonrpc":"2.0","id":1,"method":"tools/list"}.`,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// MCP's RequestId is a string or an integer (JSON-RPC also allows fractions and null; MCP does not).
// Past 2^53 a number cannot come back as it was sent, so it is refused rather than echoed changed.
function validId(id: unknown): id is string | number {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}

/**
 * Whether a JSON value nests lists and objects more than `max` levels (a scalar is 0, [] is 1).
 * Iterative, so no depth of input can overflow the stack.
 */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

const kindOf = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

/**
 * What to do with one decoded message. `anonymousId` makes the id under which a request that came
 * without one travels through the SDK (it is answered with `"id": null`).
 *
 * Every request with an id gets exactly one answer: forwarded, it is the SDK's, so what is
 * forwarded must pass the SDK's own guards (it drops what does not). A notification (no id, a
 * `notifications/` method) is never answered, even when it is invalid. Anything else that is no
 * valid message is answered with `"id": null`, as JSON-RPC says.
 */
export function screenMessage(raw: unknown, anonymousId: () => string): Screened {
  if (Array.isArray(raw)) {
    // JSON-RPC batches left MCP in 2025-06-18; a batch is answered once, as a whole.
    return reply(
      null,
      INVALID_REQUEST,
      'Invalid Request: batches are not supported (MCP removed JSON-RPC batching in 2025-06-18); send one JSON-RPC message at a time.',
      'a batch',
    );
  }
  if (!isObject(raw)) {
    return reply(
      null,
      INVALID_REQUEST,
      `Invalid Request: a message is a JSON object with "jsonrpc", "method" and "id", not ${kindOf(raw)}.`,
      'not an object',
    );
  }
  const hasId = 'id' in raw && raw.id !== undefined;
  const rawMethod =
    typeof raw.method === 'string'
      ? Object.hasOwn(ALIASES, raw.method)
        ? (ALIASES[raw.method] as string)
        : raw.method
      : undefined;
  const notification = !hasId && rawMethod?.startsWith('notifications/') === true;
  const ignore = (why: string): Screened => ({
    kind: 'reply',
    response: undefined,
    note: `${rawMethod} ${why}`,
  });
  if (hasId && !validId(raw.id)) {
    return reply(
      null,
      INVALID_REQUEST,
      `Invalid Request: "id" must be a string or an integer (at most 2^53 - 1), not ${kindOf(raw.id) === 'a number' ? 'a fraction or a larger number' : kindOf(raw.id)}.`,
      'bad id',
    );
  }
  const id = hasId ? (raw.id as string | number) : null;
  // A client's answer to a server request: its id is in the server's numbering, not the client's,
  // so an error about it must not carry it (the client would take it for an answer to its own).
  if (hasId && !('method' in raw) && ('result' in raw || 'error' in raw)) return screenResponse(raw);
  if (raw.jsonrpc !== undefined && raw.jsonrpc !== '2.0') {
    if (notification) return ignore('with a bad "jsonrpc"');
    return reply(id, INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be "2.0".', 'bad jsonrpc');
  }
  if (!('method' in raw)) {
    return reply(
      id,
      INVALID_REQUEST,
      'Invalid Request: the message has no "method"; name one, e.g. "tools/list" or "resources/read".',
      'no method',
    );
  }
  if (rawMethod === undefined || rawMethod === '') {
    return reply(id, INVALID_REQUEST, 'Invalid Request: "method" must be a non-empty string.', 'bad method');
  }
  const method = rawMethod;
  if ('params' in raw && raw.params !== undefined && !isObject(raw.params)) {
    if (notification) return ignore('with bad params');
    return reply(
      id,
      INVALID_PARAMS,
      `Invalid params for ${method}: "params" must be a JSON object, not ${kindOf(raw.params)}.`,
      'params not an object',
    );
  }
  if (raw.params !== undefined && deeperThan(raw.params, MAX_MESSAGE_DEPTH - 1)) {
    if (notification) return ignore('nested too deep');
    return reply(
      id,
      INVALID_PARAMS,
      `Invalid params for ${method}: they are nested more than ${MAX_MESSAGE_DEPTH} levels deep; no MCP message is.`,
      'params nested too deep',
    );
  }
  let params = raw.params as Record<string, unknown> | undefined;
  if (method === 'initialize') params = lenientInitialize(params);
  const problem = metaProblem(params?._meta) ?? checkParams(method, params ?? {});
  if (problem) {
    if (notification) return ignore(`(${problem})`);
    return reply(id, INVALID_PARAMS, `Invalid params for ${method}: ${problem}`, 'invalid params');
  }
  const anonymous = !hasId && !notification;
  const message: Record<string, unknown> = { jsonrpc: '2.0', method };
  if (hasId) message.id = id;
  else if (anonymous) message.id = anonymousId();
  if (params !== undefined) message.params = params;
  // The SDK's own guards decide what it handles; what they refuse it would drop without a word.
  if (notification ? !isJSONRPCNotification(message) : !isJSONRPCRequest(message)) {
    if (notification) return ignore('not in the shape of an MCP notification');
    return reply(
      id,
      INVALID_PARAMS,
      `Invalid params for ${method}: they do not have the shape of an MCP request's params (a JSON object, with "_meta" an object if given).`,
      'not an MCP request',
    );
  }
  return { kind: 'forward', message: message as JSONRPCMessage, anonymous };
}

/** A client's answer to a server request: forwarded when well-formed, else answered (never with its id). */
function screenResponse(raw: Record<string, unknown>): Screened {
  const message = { jsonrpc: '2.0', ...raw };
  if (
    !deeperThan(message, MAX_MESSAGE_DEPTH) &&
    (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message))
  ) {
    return { kind: 'forward', message: message as JSONRPCMessage, anonymous: false };
  }
  return reply(
    null,
    INVALID_REQUEST,
    'Invalid Request: a response needs an "id" and either a "result" object or an "error" {"code": integer, "message": string}, and nothing else.',
    'malformed response',
  );
}

/** What is wrong with a request's `_meta`, if anything. */
function metaProblem(meta: unknown): string | undefined {
  if (meta === undefined) return undefined;
  if (!isObject(meta))
    return `params._meta must be a JSON object such as {"progressToken": 1}, not ${kindOf(meta)}.`;
  const token = meta.progressToken;
  if (
    token !== undefined &&
    typeof token !== 'string' &&
    !(typeof token === 'number' && Number.isSafeInteger(token))
  )
    return `params._meta.progressToken must be a string or an integer, not ${kindOf(token)}.`;
  return undefined;
}

function reply(id: string | number | null, code: number, message: string, note: string): Screened {
  return { kind: 'reply', response: errorResponse(id, code, message), note };
}

/** A 2025-era `initialize` with what the caller left out filled in (curl users send none). */
function lenientInitialize(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const p = { ...(params ?? {}) };
  const meta = p._meta;
  // A 2026 envelope claim is the SDK's to judge; leave such a request as it came.
  if (isObject(meta) && Object.keys(meta).some((k) => k.includes('modelcontextprotocol.io/'))) return p;
  p.protocolVersion ??= NEWEST_2025_VERSION;
  p.capabilities ??= {};
  if (p.clientInfo === undefined) p.clientInfo = { name: 'unnamed-client', version: '0.0.0' };
  else if (isObject(p.clientInfo)) {
    p.clientInfo = { name: 'unnamed-client', version: '0.0.0', ...p.clientInfo };
  }
  return p;
}

const needString = (p: Record<string, unknown>, key: string, hint: string): string | undefined => {
  if (typeof p[key] === 'string' && p[key] !== '') return undefined;
  return p[key] === undefined
    ? `params.${key} is required: ${hint}`
    : `params.${key} must be a non-empty string (${hint}), not ${kindOf(p[key])}.`;
};

const needObject = (p: Record<string, unknown>, key: string, hint: string): string | undefined => {
  if (p[key] === undefined || isObject(p[key])) return undefined;
  return `params.${key} must be a JSON object (${hint}), not ${kindOf(p[key])}.`;
};

/** One readable line about the first problem with a known method's params, if any. */
export function checkParams(method: string, p: Record<string, unknown>): string | undefined {
  switch (method) {
    case 'initialize':
      if (typeof p.protocolVersion !== 'string')
        return `params.protocolVersion must be a string such as "${NEWEST_2025_VERSION}".`;
      return (
        needObject(p, 'capabilities', 'what the client supports, {} for nothing') ??
        (isObject(p.clientInfo) && typeof p.clientInfo.name === 'string'
          ? undefined
          : 'params.clientInfo must be an object such as {"name":"my-client","version":"1.0"}.')
      );
    case 'tools/call':
      return (
        needString(p, 'name', 'the tool to call, e.g. "search_records" (see tools/list)') ??
        needObject(p, 'arguments', 'the tool\'s arguments, e.g. {"model":"res.partner"}')
      );
    // resources/subscribe and logging/setLevel are left to the SDK: not served yet, and removed
    // methods in 2026-07-28, where the answer must be "method not found" whatever the params.
    case 'resources/read':
      return needString(
        p,
        'uri',
        'a resource URI such as "odoo://res.partner/7" (see resources/templates/list)',
      );
    case 'prompts/get':
      return (
        needString(p, 'name', 'the prompt, see prompts/list') ??
        needObject(p, 'arguments', 'the prompt arguments as strings, e.g. {"model":"res.partner"}')
      );
    case 'completion/complete': {
      const ref = p.ref;
      if (
        !isObject(ref) ||
        !(
          (ref.type === 'ref/prompt' && typeof ref.name === 'string') ||
          (ref.type === 'ref/resource' && typeof ref.uri === 'string')
        )
      )
        return 'params.ref must be {"type":"ref/prompt","name":...} or {"type":"ref/resource","uri":...}.';
      if (
        !isObject(p.argument) ||
        typeof p.argument.name !== 'string' ||
        typeof p.argument.value !== 'string'
      )
        return 'params.argument must be {"name": the argument, "value": what is typed so far}.';
      return undefined;
    }
    case 'tools/list':
    case 'resources/list':
    case 'resources/templates/list':
    case 'prompts/list':
      return p.cursor === undefined || typeof p.cursor === 'string'
        ? undefined
        : 'params.cursor must be the nextCursor string of the previous page.';
    default:
      return undefined;
  }
}

/**
 * An outbound message made presentable: an anonymous request's answer gets `"id": null` back, and
 * an SDK -32603 or -32602 whose message is a zod issue list ("[{...}]" or "Invalid tools/call
 * request: [{...}]") becomes -32602 with one line.
 */
export function presentOutbound(message: JSONRPCMessage, anonymousIds: Set<string | number>): JSONRPCMessage {
  const m = message as { id?: string | number; error?: { code: number; message: string; data?: unknown } };
  let out = message;
  if (m.error && (m.error.code === -32603 || m.error.code === INVALID_PARAMS)) {
    const dump = zodDump(m.error.message);
    if (dump)
      out = {
        ...message,
        error: {
          code: INVALID_PARAMS,
          message: `Invalid params${dump.method ? ` for ${dump.method}` : ''}: ${dump.line}`,
        },
      } as JSONRPCMessage;
  }
  if (m.id !== undefined && anonymousIds.has(m.id) && ('result' in m || 'error' in m)) {
    anonymousIds.delete(m.id);
    out = { ...out, id: null } as unknown as JSONRPCMessage;
  }
  return out;
}

/** Whether a serialized outbound message may need presentOutbound's rewriting (a cheap test). */
export function mayNeedRewrite(text: string): boolean {
  return text.includes('-32603') || text.includes('-32602');
}

/** A zod issue list in an SDK error message, as one line, and the method the SDK named, if any. */
function zodDump(text: string): { line: string; method?: string } | undefined {
  const at = text.indexOf('[');
  if (at < 0) return undefined;
  const prefix = text.slice(0, at).trim();
  // Only a bare list, or one after a short "Invalid tools/call request:"-like label.
  if (prefix !== '' && !/^[\w/ .-]{1,80}:$/.test(prefix)) return undefined;
  const line = zodIssuesLine(text.slice(at));
  if (!line) return undefined;
  return { line, method: /^Invalid (\S+) request:$/.exec(prefix)?.[1] };
}

/** "params.uri: expected string; ..." from a serialized zod issue list, or undefined. */
export function zodIssuesLine(text: string): string | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  try {
    const issues = JSON.parse(text) as Array<{ path?: unknown[]; message?: string }>;
    if (!Array.isArray(issues) || issues.length === 0 || typeof issues[0]?.message !== 'string')
      return undefined;
    const parts = issues.slice(0, 3).map((i) => {
      const path = Array.isArray(i.path) && i.path.length > 0 ? `${i.path.join('.')}: ` : '';
      return `${path}${String(i.message).replace(/^Invalid input: /, '')}`;
    });
    return `${parts.join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}.`;
  } catch {
    return undefined;
  }
}

/**
 * The top-level "id" of a JSON object from the start of its text, if the start shows it: how an
 * over-long line, skipped unread, can still be answered under its request's id.
 */
export function peekId(head: string): string | number | null {
  let i = head.search(/\S/);
  if (i < 0 || head[i] !== '{') return null;
  let depth = 0;
  let expectKey = false;
  while (i < head.length) {
    const c = head[i] as string;
    if (c === '"') {
      const end = stringEnd(head, i);
      if (end < 0) return null;
      if (depth === 1 && expectKey) {
        expectKey = false;
        const key = head.slice(i, end + 1);
        const colon = head.slice(end + 1).match(/^\s*:\s*/);
        if (!colon) return null;
        const at = end + 1 + colon[0].length;
        if (key === '"id"') return idAt(head, at);
        i = at;
        continue;
      }
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
    i++;
  }
  return null;
}

/** The index of the quote closing the JSON string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function idAt(text: string, at: number): string | number | null {
  let value: unknown;
  if (text[at] === '"') {
    const end = stringEnd(text, at);
    if (end < 0) return null;
    value = JSON.parse(text.slice(at, end + 1));
  } else {
    const num = text.slice(at, at + 40).match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?(?=[\s,}])/);
    if (!num) return null;
    value = Number(num[0]);
  }
  return validId(value) ? value : null;
}

/**
 * The screening of one connection (stdio, an SSE session) or one HTTP request: it remembers the
 * ids it gave to requests that came without one, so their answers go out with `"id": null`. The
 * ids are unique across instances, as several requests may share one session's server.
 */
export class InboundScreen {
  private readonly anonymous = new Set<string | number>();
  private readonly prefix = `anonymous-${randomUUID()}-`;
  private seq = 0;

  screen(raw: unknown): Screened {
    const screened = screenMessage(raw, () => `${this.prefix}${++this.seq}`);
    const id = screened.kind === 'forward' ? (screened.message as { id?: string | number }).id : undefined;
    if (screened.kind === 'forward' && screened.anonymous && id !== undefined) this.anonymous.add(id);
    return screened;
  }

  present(message: JSONRPCMessage): JSONRPCMessage {
    return presentOutbound(message, this.anonymous);
  }

  /** Whether some answer still needs its id put back to null. */
  get awaitsAnonymous(): boolean {
    return this.anonymous.size > 0;
  }
}
