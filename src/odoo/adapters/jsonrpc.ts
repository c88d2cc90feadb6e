// JSON-RPC over POST /jsonrpc: Odoo's `call` envelope with service common/object.
import { ProtocolError, SessionExpiredError } from '../errors.js';
import { errorFromJson, type MethodCall, parseJsonBody } from '../protocol.js';
import type { HttpTransport } from '../transport.js';
import { ServiceRpcAdapter } from './service-rpc.js';

export class JsonRpcAdapter extends ServiceRpcAdapter {
  readonly name = 'jsonrpc' as const;
  private nextId = 1;

  constructor(private readonly http: HttpTransport) {
    super();
  }

  protected async rpc(
    service: string,
    method: string,
    args: unknown[],
    signal?: AbortSignal,
    call?: MethodCall,
  ) {
    const url = `${this.http.baseUrl}/jsonrpc`;
    const res = await this.http.send({
      method: 'POST',
      path: '/jsonrpc',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        params: { service, method, args },
        id: this.nextId++,
      }),
      signal,
    });
    const body = parseJsonBody(res, url, 'a JSON-RPC answer');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ProtocolError(`Protocol error: ${url} answered JSON that is not a JSON-RPC envelope`);
    }
    const envelope = body as {
      result?: unknown;
      error?: { code?: number; message?: string; data?: unknown };
    };
    if (envelope.error) {
      const { code, message, data } = envelope.error;
      const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
      if (code === 100) {
        throw new SessionExpiredError(`Odoo session expired: ${String(d.message ?? message ?? '')}`.trim(), {
          details: {
            code,
            exceptionName: String(d.name ?? 'odoo.http.SessionExpiredException'),
            protocol: 'jsonrpc',
          },
        });
      }
      if (!d.name) d.message ??= message;
      throw errorFromJson(d, { code, httpStatus: res.status, protocol: 'jsonrpc', call });
    }
    if (res.status !== 200) {
      throw new ProtocolError(`Protocol error: ${url} answered HTTP ${res.status}`, {
        details: { httpStatus: res.status },
      });
    }
    // A Python None comes back as an envelope with no `result` key.
    return 'result' in envelope ? envelope.result : null;
  }
}
