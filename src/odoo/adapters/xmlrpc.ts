// XML-RPC over /xmlrpc/2/common and /xmlrpc/2/object.
import {
  AccessError,
  AuthError,
  fromOdooException,
  MissingError,
  type OdooError,
  OdooServerError,
  ProtocolError,
  parseTraceback,
  ValidationError,
} from '../errors.js';
import { describeUnexpected, type MethodCall } from '../protocol.js';
import type { HttpTransport } from '../transport.js';
import type { DecodedResponse } from '../xmlrpc/decode.js';
import { encodeMethodCall } from '../xmlrpc/encode.js';
import { XmlRpcDateTime, type XmlRpcFault, XmlRpcParseError, type XmlRpcValue } from '../xmlrpc/values.js';
import { ServiceRpcAdapter } from './service-rpc.js';

// The XML parser (saxes) loads with the first XML-RPC answer: JSON-RPC and JSON-2 never need it.
let decoder: Promise<typeof import('../xmlrpc/decode.js')> | undefined;
const loadDecoder = () => {
  decoder ??= import('../xmlrpc/decode.js');
  return decoder;
};

// Odoo's marshaller refuses None, so a method returning None fails AFTER it ran and committed.
const NONE_FAULT = /cannot marshal None unless allow_none is enabled/;

/** Maps an XML-RPC fault (integer codes of /xmlrpc/2, string codes of the legacy routes) to our errors. */
export function faultToError(fault: XmlRpcFault, call?: MethodCall): OdooError {
  const details = {
    code: fault.faultCode,
    protocol: 'xmlrpc' as const,
    model: call?.model,
    method: call?.method,
  };
  const { faultCode, faultString } = fault;
  if (typeof faultCode === 'string') {
    const m = /^warning -- (\w+)\n\n([\s\S]*)$/.exec(faultCode);
    if (m) {
      const kind = m[1];
      const message = m[2] ?? '';
      if (kind === 'MissingError') return new MissingError(message, { details });
      if (kind === 'AccessError') return new AccessError(message, { details });
      return new ValidationError(message, { details });
    }
    if (faultCode === 'AccessDenied') return new AuthError(faultString || 'Access Denied', { details });
    const parsed = parseTraceback(faultString);
    return fromOdooException(parsed?.name ?? 'builtins.Exception', faultCode, {
      details,
      traceback: faultString,
    });
  }
  switch (faultCode) {
    case 2:
      return fromOdooException('odoo.exceptions.UserError', faultString, { details });
    case 3:
      return fromOdooException('odoo.exceptions.AccessDenied', faultString, { details });
    case 4:
      return fromOdooException('odoo.exceptions.AccessError', faultString, { details });
    default: {
      const parsed = parseTraceback(faultString);
      if (!parsed) return new OdooServerError(faultString.split('\n')[0] ?? 'Odoo Server Error', { details });
      return fromOdooException(parsed.name, parsed.message, { details, traceback: faultString });
    }
  }
}

export class XmlRpcAdapter extends ServiceRpcAdapter {
  readonly name = 'xmlrpc' as const;

  constructor(private readonly http: HttpTransport) {
    super();
  }

  protected async rpc(
    service: 'common' | 'object',
    method: string,
    params: unknown[],
    signal?: AbortSignal,
    call?: MethodCall,
  ): Promise<unknown> {
    const path = `/xmlrpc/2/${service}`;
    const url = `${this.http.baseUrl}${path}`;
    const res = await this.http.send({
      method: 'POST',
      path,
      headers: { 'content-type': 'text/xml' },
      body: encodeMethodCall(method, params as XmlRpcValue[]),
      signal,
    });
    const type = res.headers['content-type'] ?? '';
    if (res.status !== 200 || !/xml/i.test(type) || !/^\s*<\?xml|^\s*<methodResponse/.test(res.body)) {
      throw new ProtocolError(describeUnexpected(res, 'an XML-RPC answer', url), {
        details: { httpStatus: res.status, protocol: 'xmlrpc' },
      });
    }
    const { decodeMethodResponse } = await loadDecoder();
    let decoded: DecodedResponse;
    try {
      decoded = decodeMethodResponse(res.body);
    } catch (err) {
      if (err instanceof XmlRpcParseError) {
        throw new ProtocolError(`Protocol error: ${url} answered malformed XML-RPC (${err.message})`, {
          cause: err,
        });
      }
      throw err;
    }
    if (decoded.kind === 'fault') {
      if (NONE_FAULT.test(decoded.fault.faultString)) return null;
      throw faultToError(decoded.fault, call);
    }
    return toPlain(decoded.value);
  }
}

/** XML-RPC-only types become what JSON-RPC would have given: base64 text, ISO strings, numbers. */
function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint'
      ? Number.isSafeInteger(Number(value))
        ? Number(value)
        : value.toString()
      : value;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof XmlRpcDateTime) {
    // 20261124T02:57:23 -> Odoo's own '2026-11-24 02:57:23'
    const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value.iso);
    return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}` : value.iso;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}
