// XML-RPC and JSON-RPC are the same API in two encodings: Odoo's `common` and `object` services
// called by name. Only the envelope differs, so the calls themselves live here once.
import { AuthError } from '../errors.js';
import {
  type Credentials,
  type MethodCall,
  type ProtocolAdapter,
  type ProtocolName,
  positionalForm,
  type ServerVersion,
  type Session,
  versionFromInfo,
} from '../protocol.js';

export function authFailed(creds: Credentials): AuthError {
  return new AuthError(
    `Authentication failed: check username and api_key, and that database ${creds.db ?? '(none set)'} exists`,
    { details: { exceptionName: 'odoo.exceptions.AccessDenied' } },
  );
}

export abstract class ServiceRpcAdapter implements ProtocolAdapter {
  abstract readonly name: ProtocolName;

  /** One call of `service.method(*params)`; `call` is the model call it carries, for error details. */
  protected abstract rpc(
    service: 'common' | 'object',
    method: string,
    params: unknown[],
    signal?: AbortSignal,
    call?: MethodCall,
  ): Promise<unknown>;

  async serverVersion(signal?: AbortSignal): Promise<ServerVersion> {
    const v = (await this.rpc('common', 'version', [], signal)) as Record<string, unknown> | null;
    return versionFromInfo(v?.server_version_info, v?.server_version);
  }

  async login(creds: Credentials, signal?: AbortSignal): Promise<number> {
    const uid = await this.rpc(
      'common',
      'authenticate',
      [creds.db ?? '', creds.login ?? '', creds.secret, {}],
      signal,
    );
    if (typeof uid !== 'number' || uid <= 0) throw authFailed(creds);
    return uid;
  }

  async execute(session: Session, call: MethodCall, signal?: AbortSignal): Promise<unknown> {
    const { args, kwargs } = positionalForm(call);
    return this.rpc(
      'object',
      'execute_kw',
      [session.db ?? '', session.uid, session.secret, call.model, call.method, args, kwargs],
      signal,
      call,
    );
  }
}
