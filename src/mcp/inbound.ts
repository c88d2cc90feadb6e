// Every message a client sends passes here before the SDK sees it, on stdio and HTTP alike, so that
// every request gets exactly one answer that says what is wrong: JSON-RPC's -32700/-32600 for what
// is not a message, -32602 naming the parameter for bad params (the SDK would drop such lines, or
// answer -32603 with a raw zod issue list). It is also where the server is lenient the way the spec
// lets it be: the reference project's calls (no `jsonrpc`, no `id`, `get_resource`, an `initialize`
// without params) are served as what they clearly mean.
import { randomUUID } from 'node:crypto';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';

/** The newest 2025-era revision: what a params-less `initialize` is answered as. */
export const NEWEST_2025_VERSION = '2025-11-25';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

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

function validId(id: unknown): id is string | number {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/**
 * What to do with one decoded message. `anonymousId` makes the id under which a request that came
 * without one travels through the SDK (it is answered with `"id": null`).
 */
export function screenMessage(raw: unknown, anonymousId: () => string): Screened {
  if (Array.isArray(raw)) {
    return reply(
      null,
      INVALID_REQUEST,
      'Invalid Request: batches are not supported; send one JSON-RPC message at a time.',
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
  if (hasId && !validId(raw.id)) {
    return reply(
      null,
      INVALID_REQUEST,
      `Invalid Request: "id" must be a string or an integer (at most 2^53 - 1), not ${kindOf(raw.id) === 'a number' ? 'a fraction or a larger number' : kindOf(raw.id)}.`,
      'bad id',
    );
  }
  const id = hasId ? (raw.id as string | number) : null;
  if (raw.jsonrpc !== undefined && raw.jsonrpc !== '2.0') {
    return reply(id, INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be "2.0".', 'bad jsonrpc');
  }
  if (!('method' in raw)) {
    if (hasId && ('result' in raw || 'error' in raw)) {
      return { kind: 'forward', message: { jsonrpc: '2.0', ...raw } as JSONRPCMessage, anonymous: false };
    }
    return reply(
      id,
      INVALID_REQUEST,
      'Invalid Request: the message has no "method"; name one, e.g. "tools/list" or "resources/read".',
      'no method',
    );
  }
  if (typeof raw.method !== 'string' || raw.method === '') {
    return reply(id, INVALID_REQUEST, 'Invalid Request: "method" must be a non-empty string.', 'bad method');
  }
  const method = ALIASES[raw.method] ?? raw.method;
  const notification = !hasId && method.startsWith('notifications/');
  if ('params' in raw && raw.params !== undefined && !isObject(raw.params)) {
    if (notification) return { kind: 'reply', response: undefined, note: `${method} with bad params` };
    return reply(
      id,
      INVALID_PARAMS,
      `Invalid params for ${method}: "params" must be a JSON object, not ${kindOf(raw.params)}.`,
      'params not an object',
    );
  }
  let params = raw.params as Record<string, unknown> | undefined;
  if (method === 'initialize') params = lenientInitialize(params);
  const problem = checkParams(method, params ?? {});
  if (problem) {
    if (notification) return { kind: 'reply', response: undefined, note: `${method}: ${problem}` };
    return reply(id, INVALID_PARAMS, `Invalid params for ${method}: ${problem}`, 'invalid params');
  }
  const anonymous = !hasId && !notification;
  const message: Record<string, unknown> = { jsonrpc: '2.0', method };
  if (hasId) message.id = id;
  else if (anonymous) message.id = anonymousId();
  if (params !== undefined) message.params = params;
  return { kind: 'forward', message: message as JSONRPCMessage, anonymous };
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
      if (!isObject(p.ref) || (p.ref.type !== 'ref/prompt' && p.ref.type !== 'ref/resource'))
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
 * an SDK -32603 that is really a params validation failure (a zod issue list as its message)
 * becomes -32602 with one line.
 */
export function presentOutbound(message: JSONRPCMessage, anonymousIds: Set<string | number>): JSONRPCMessage {
  const m = message as { id?: string | number; error?: { code: number; message: string; data?: unknown } };
  let out = message;
  if (m.error && m.error.code === -32603) {
    const line = zodIssuesLine(m.error.message);
    if (line)
      out = {
        ...message,
        error: { code: INVALID_PARAMS, message: `Invalid params: ${line}` },
      } as JSONRPCMessage;
  }
  if (m.id !== undefined && anonymousIds.has(m.id) && ('result' in m || 'error' in m)) {
    anonymousIds.delete(m.id);
    out = { ...out, id: null } as unknown as JSONRPCMessage;
  }
  return out;
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
