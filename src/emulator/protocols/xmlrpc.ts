// XML-RPC: POST /xmlrpc/2/<service> (integer fault codes) and the legacy /xmlrpc/<service> (string
// fault codes). Every answer is HTTP 200 text/xml; errors are <fault>s.
import {
  decodeMethodCall,
  encodeFault,
  encodeMethodResponse,
  XmlRpcDateTime,
  XmlRpcParseError,
  type XmlRpcValue,
} from '../../odoo/xmlrpc/codec.js';
import {
  type FrontContext,
  methodNotAllowed,
  type WireRequest,
  type WireResponse,
  XML_TYPE,
} from './http.js';
import { fromThrown, type PyError, pyError, xmlrpcFaultInt, xmlrpcFaultString } from './pyerror.js';
import { dispatchRpc } from './rpc.js';

/** xmlrpc.client.loads failures, worded as pyexpat words them (clients match on these lines). */
function expatError(err: XmlRpcParseError, body: string): PyError {
  const m = err.message;
  if (/unclosed tag|must contain a root element|unexpected end/i.test(m)) {
    // expat reports a truncated document at its very end.
    const lines = body.split('\n');
    const pos = `line ${lines.length}, column ${(lines[lines.length - 1] ?? '').length}`;
    return pyError('xml.parsers.expat.ExpatError', `no element found: ${pos}`);
  }
  const pos = `line ${err.line ?? 1}, column ${err.column ?? 0}`;
  if (/^malformed XML/.test(m)) {
    const kind = /close tag|mismatch/i.test(m) ? 'mismatched tag' : 'syntax error';
    return pyError('xml.parsers.expat.ExpatError', `${kind}: ${pos}`);
  }
  // Well-formed XML that is not a methodCall: the unmarshaller gives up without a message.
  return { type: 'xmlrpc.client.ResponseError', args: [], message: '', traceText: 'ResponseError()' };
}

/** What Odoo's handlers receive from xmlrpc.client.loads(use_datetime=True), as plain values. */
function toPlain(v: XmlRpcValue): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? Number(v) : v;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof XmlRpcDateTime) {
    const d = v.toDate();
    return Number.isNaN(d.getTime()) ? v.iso : d.toISOString().slice(0, 19).replace('T', ' ');
  }
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(v)) out[k] = toPlain(item);
  return out;
}

/** The marshaller refuses None anywhere in the result (allow_none=False). */
function containsNone(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.some(containsNone);
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).some(containsNone);
  return false;
}

export function handleXmlRpc(
  ctx: FrontContext,
  req: WireRequest,
  service: string,
  legacy: boolean,
): WireResponse {
  ctx.note.protocol = 'xmlrpc';
  ctx.note.service = service;
  if (req.method !== 'POST') return methodNotAllowed(['POST']);
  const style = ctx.profile.xmlrpcStdlibEnvelope ? 'python' : 'odoo18';
  const fault = (e: PyError): WireResponse => {
    const f = legacy ? xmlrpcFaultString(e) : xmlrpcFaultInt(e);
    return { status: 200, headers: { 'content-type': XML_TYPE }, body: encodeFault(f, { style }) };
  };

  const text = req.body.toString('utf8');
  let method: string;
  let params: unknown[];
  try {
    const call = decodeMethodCall(text);
    method = call.method;
    params = call.params.map(toPlain);
  } catch (err) {
    if (err instanceof XmlRpcParseError) return fault(expatError(err, text));
    throw err;
  }

  let result: unknown;
  try {
    result = dispatchRpc(ctx, service, method, params, 'tuple');
  } catch (err) {
    return fault(fromThrown(err));
  }
  // The method has run (and committed) by now; only the answer cannot be written.
  if (containsNone(result)) {
    return fault(pyError('builtins.TypeError', 'cannot marshal None unless allow_none is enabled'));
  }
  let body: string;
  try {
    body = encodeMethodResponse(result as XmlRpcValue, { style });
  } catch (err) {
    return fault(pyError('builtins.TypeError', err instanceof Error ? err.message : String(err)));
  }
  return { status: 200, headers: { 'content-type': XML_TYPE }, body };
}
