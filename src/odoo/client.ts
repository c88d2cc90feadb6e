// The protocol-free Odoo client. It picks the protocol (probing the server when asked to), logs in
// and keeps the uid fresh, retries reads that failed before reaching Odoo, and offers typed helpers.
// Nothing above this file knows which protocol is in use.
import { LRUCache } from 'lru-cache';
import type { Config } from '../config/schema.js';
import { currentScope } from '../logging/call-scope.js';
import type { Logger } from '../logging/logger.js';
import { Json2Adapter } from './adapters/json2.js';
import { JsonRpcAdapter } from './adapters/jsonrpc.js';
import { XmlRpcAdapter } from './adapters/xmlrpc.js';
import {
  AuthError,
  CancelledError,
  mayHaveRun,
  NetworkError,
  OdooError,
  OutcomeUnknownError,
  ProtocolError,
  type SentAt,
  SessionExpiredError,
} from './errors.js';
import type {
  Credentials,
  MethodCall,
  ProtocolAdapter,
  ProtocolName,
  ServerVersion,
  Session,
} from './protocol.js';
import { HttpTransport } from './transport.js';
import { decodeRecords, type FieldsMeta, type OdooRecord } from './values.js';

export type Domain = unknown[];
export type Context = Record<string, unknown>;

export interface ExecuteParams {
  ids?: number[];
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  context?: Context;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface OdooClientOptions {
  url: string;
  database?: string;
  username?: string;
  apiKey?: string;
  password?: string;
  protocol?: 'auto' | ProtocolName;
  poolSize?: number;
  timeoutMs?: number;
  retries?: number;
  /** First backoff delay; doubles each retry. */
  retryBaseMs?: number;
  sessionTimeoutMs?: number;
  cache?: { enabled: boolean; ttlMs: number; maxSize: number };
  /** A second-level metadata cache shared with other processes (replicas); misses and failures fall through to Odoo. */
  sharedCache?: SharedMetaCache;
  logger?: Logger;
}

/** Field metadata shared between processes, keyed by database, user and request. */
export interface SharedMetaCache {
  get(key: string): Promise<FieldsMeta | undefined>;
  set(key: string, value: FieldsMeta): Promise<void>;
}

/** What the connected Odoo version offers, where the client has to call it differently. */
export interface VersionFeatures {
  major: number;
  /** JSON-2 (/json/2/<model>/<method>) exists from 19. */
  json2: boolean;
  /** web_search_read takes a nested `specification` from 17; 15 and 16 take a list of field names. */
  webSearchReadSpecification: boolean;
  /** formatted_read_group from 19; read_group before (deprecated in 19). */
  formattedReadGroup: boolean;
}

export function versionFeatures(major: number): VersionFeatures {
  return {
    major,
    json2: major >= 19,
    webSearchReadSpecification: major >= 17,
    formattedReadGroup: major >= 19,
  };
}

/** One page of a search: the records and how many match in all. */
export interface SearchPage {
  /** many2one values as [id, display_name] or false, whatever the version answered. */
  records: OdooRecord[];
  length: number;
}

export interface ConnectionInfo {
  url: string;
  database?: string;
  serverVersion: string;
  major: number;
  protocol: ProtocolName;
  /** Why this protocol: for logs and `doctor`. */
  reason: string;
  uid: number;
  login?: string;
}

/** Methods that only read: safe to send again after a connection failure. */
export const READ_METHODS = new Set([
  'search',
  'search_read',
  'search_count',
  'search_fetch',
  'read',
  'fields_get',
  'name_search',
  'read_group',
  'formatted_read_group',
  'web_search_read',
  'web_read',
  'default_get',
  'context_get',
  'check_access_rights',
  'has_access',
  'exists',
  'get_metadata',
]);

/** An Odoo call this slow is worth a line in the client's log. */
const SLOW_CALL_MS = 2000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

interface Resolved {
  adapter: ProtocolAdapter;
  version: ServerVersion;
  reason: string;
}

/** What fieldsGet asks for unless told otherwise. */
export const FIELD_ATTRIBUTES: readonly string[] = [
  'string',
  'type',
  'required',
  'readonly',
  'relation',
  'selection',
  'help',
  'store',
  // A domain leaf on a field Odoo cannot search, or an order on one it cannot sort, is
  // dropped without an error on every version: callers check these before sending.
  'searchable',
  'sortable',
];

export class OdooClient {
  private readonly transport: HttpTransport;
  private readonly adapters: { xmlrpc: XmlRpcAdapter; jsonrpc: JsonRpcAdapter; json2: Json2Adapter };
  private resolved?: Promise<Resolved>;
  private session?: { uid: number; at: number };
  private loginInFlight?: Promise<number>;
  private readonly metaCache?: LRUCache<string, FieldsMeta>;
  private readonly opts: Required<
    Omit<
      OdooClientOptions,
      'cache' | 'sharedCache' | 'logger' | 'database' | 'username' | 'apiKey' | 'password'
    >
  > &
    OdooClientOptions;

  private readonly ownsTransport: boolean;

  constructor(
    options: OdooClientOptions,
    shared?: { transport: HttpTransport; resolved?: Promise<Resolved> },
  ) {
    this.ownsTransport = !shared;
    this.opts = {
      protocol: 'auto',
      poolSize: 5,
      timeoutMs: 30_000,
      retries: 2,
      retryBaseMs: 200,
      sessionTimeoutMs: 60 * 60_000,
      ...options,
    };
    this.transport =
      shared?.transport ??
      new HttpTransport({
        baseUrl: options.url,
        poolSize: this.opts.poolSize,
        timeoutMs: this.opts.timeoutMs,
      });
    this.adapters = {
      xmlrpc: new XmlRpcAdapter(this.transport),
      jsonrpc: new JsonRpcAdapter(this.transport),
      json2: new Json2Adapter(this.transport),
    };
    this.resolved = shared?.resolved;
    const cache = options.cache;
    if (cache?.enabled !== false) {
      this.metaCache = new LRUCache<string, FieldsMeta>({
        max: cache?.maxSize ?? 1000,
        ttl: cache?.ttlMs ?? 300_000,
      });
    }
  }

  static fromConfig(config: Config, logger?: Logger, sharedCache?: SharedMetaCache): OdooClient {
    return new OdooClient({
      sharedCache: config.cache.enabled ? sharedCache : undefined,
      url: config.odoo_url ?? '',
      database: config.database,
      username: config.username,
      apiKey: config.api_key,
      password: config.password,
      protocol: config.protocol,
      poolSize: config.pool_size,
      timeoutMs: config.timeout * 1000,
      retries: config.retries,
      sessionTimeoutMs: config.session_timeout_minutes * 60_000,
      cache: {
        enabled: config.cache.enabled,
        ttlMs: config.cache.ttl * 1000,
        maxSize: config.cache.max_size,
      },
      logger,
    });
  }

  /**
   * The same server and connection pool acting as another Odoo user (per-user identity): the
   * protocol probe is shared, the login and caches are not.
   */
  forUser(creds: { username?: string; apiKey?: string; password?: string; database?: string }): OdooClient {
    return new OdooClient(
      { ...this.opts, ...creds, logger: this.opts.logger, cache: this.opts.cache },
      { transport: this.transport, resolved: this.resolved },
    );
  }

  /** The Odoo login the calls run as, when one is configured (JSON-2 with a bare API key has none). */
  get login(): string | undefined {
    return this.opts.username;
  }

  private get credentials(): Credentials {
    return {
      db: this.opts.database,
      login: this.opts.username,
      secret: this.opts.apiKey ?? this.opts.password ?? '',
    };
  }

  private log(level: 'debug' | 'info' | 'warn', obj: Record<string, unknown>, msg: string) {
    this.opts.logger?.[level](obj, msg);
  }

  /** Decides the protocol once: explicit, or probed from the server's version. */
  private resolve(signal?: AbortSignal): Promise<Resolved> {
    this.resolved ??= this.probe(signal).catch((err: unknown) => {
      // A failed probe must not stick: the next call probes again.
      this.resolved = undefined;
      throw err;
    });
    return this.resolved;
  }

  private async probe(signal?: AbortSignal): Promise<Resolved> {
    const explicit = this.opts.protocol;
    if (explicit !== 'auto') {
      const version = await this.adapters[explicit].serverVersion(signal);
      return {
        adapter: this.adapters[explicit],
        version,
        reason: `protocol "${explicit}" set in the configuration`,
      };
    }
    // /web/version exists only on 19+; older servers answer 404 or a redirect, so fall back to common.version.
    let version: ServerVersion;
    try {
      version = await this.adapters.json2.fetchVersion('/web/version', signal);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      try {
        version = await this.adapters.jsonrpc.serverVersion(signal);
      } catch (err2) {
        if (!(err2 instanceof ProtocolError)) throw err2;
        version = await this.adapters.xmlrpc.serverVersion(signal);
        return {
          adapter: this.adapters.xmlrpc,
          version,
          reason: `Odoo ${version.version} answers XML-RPC only`,
        };
      }
    }
    const result = await this.pickFor(version, signal);
    this.log(
      'info',
      { protocol: result.adapter.name, odoo: version.version },
      `Odoo protocol: ${result.reason}`,
    );
    return result;
  }

  private async pickFor(version: ServerVersion, signal?: AbortSignal): Promise<Resolved> {
    const jsonrpc = (reason: string): Resolved => ({ adapter: this.adapters.jsonrpc, version, reason });
    if (version.major < 19) return jsonrpc(`Odoo ${version.version} has no JSON-2 API (19+), using JSON-RPC`);
    if (!this.opts.apiKey)
      return jsonrpc(`Odoo ${version.version} offers JSON-2, but it needs an API key; using JSON-RPC`);
    // Detect JSON-2 by a JSON answer, not by the status: Odoo 18 redirects /json/2 to the login page.
    try {
      const uid = await this.adapters.json2.login(this.credentials, signal);
      this.session = { uid, at: Date.now() };
      return {
        adapter: this.adapters.json2,
        version,
        reason: `Odoo ${version.version} answers JSON-2 and an API key is set, using JSON-2`,
      };
    } catch (err) {
      if (err instanceof ProtocolError) {
        return jsonrpc(
          `Odoo ${version.version} did not answer JSON-2 with JSON (${err.message}); using JSON-RPC`,
        );
      }
      throw err;
    }
  }

  /** Probes and logs in; returns what was found. Safe to call many times. */
  async connect(options: CallOptions = {}): Promise<ConnectionInfo> {
    const r = await this.resolve(options.signal);
    const uid = await this.uid(options.signal);
    return {
      url: this.transport.baseUrl,
      database: this.opts.database,
      serverVersion: r.version.version,
      major: r.version.major,
      protocol: r.adapter.name,
      reason: r.reason,
      uid,
      login: this.opts.username,
    };
  }

  get transportStats() {
    return this.transport.stats;
  }

  /** The uid, logging in when there is none or it is older than session_timeout_minutes. */
  private async uid(signal?: AbortSignal): Promise<number> {
    const now = Date.now();
    if (this.session && now - this.session.at < this.opts.sessionTimeoutMs) return this.session.uid;
    this.loginInFlight ??= (async () => {
      try {
        const { adapter } = await this.resolve(signal);
        const creds = this.credentials;
        if (!creds.secret) throw new AuthError('Authentication failed: no api_key or password is configured');
        if (adapter.name !== 'json2' && !creds.login) {
          throw new AuthError('Authentication failed: no username is configured');
        }
        const uid = await adapter.login(creds, signal);
        this.session = { uid, at: Date.now() };
        this.log('debug', { uid, protocol: adapter.name }, 'Logged in to Odoo');
        return uid;
      } finally {
        this.loginInFlight = undefined;
      }
    })();
    return this.loginInFlight;
  }

  /** Calls `model.method` with Odoo's semantics; `null` when the method returned None. */
  async execute(
    model: string,
    method: string,
    params: ExecuteParams = {},
    options: CallOptions = {},
  ): Promise<unknown> {
    const call: MethodCall = {
      model,
      method,
      ids: params.ids,
      args: params.args ?? [],
      kwargs: params.kwargs ?? {},
      context: params.context,
    };
    const canRetry = READ_METHODS.has(method);
    const scope = currentScope();
    let sessionRetried = false;
    for (let attempt = 0; ; attempt++) {
      const started = Date.now();
      let sent: (SentAt & { uid: number }) | undefined;
      try {
        // A cancelled tool call sends nothing more; what Odoo already runs is left to finish.
        if (scope?.signal?.aborted) throw new CancelledError(`${model}.${method} was not sent`);
        const { adapter } = await this.resolve(options.signal);
        const uid = await this.uid(options.signal);
        const session: Session = { ...this.credentials, uid };
        sent = { local: Date.now(), odoo: this.transport.odooNow(), uid };
        const result = await adapter.execute(session, call, options.signal);
        const ms = Date.now() - started;
        this.log('debug', { model, method, ms, protocol: adapter.name }, 'Odoo call');
        if (ms >= SLOW_CALL_MS)
          scope?.log?.('notice', `Odoo took ${(ms / 1000).toFixed(1)} s to answer ${model}.${method}`);
        scope?.step?.(`${model}.${method}`);
        return result;
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        if (err instanceof SessionExpiredError && !sessionRetried) {
          // The call did not run: log in again and send it once more.
          sessionRetried = true;
          this.session = undefined;
          continue;
        }
        if (err instanceof AuthError) this.session = undefined;
        const retryable =
          canRetry && err instanceof NetworkError && err.retryable && attempt < this.opts.retries;
        this.log(
          'debug',
          {
            model,
            method,
            ms: Date.now() - started,
            err: err instanceof OdooError ? err.name : String(err),
            attempt,
          },
          retryable ? 'Odoo call failed, retrying' : 'Odoo call failed',
        );
        if (!retryable) {
          if (err instanceof OdooError) {
            scope?.log?.(
              err instanceof NetworkError || err instanceof ProtocolError ? 'error' : 'warning',
              `Odoo call ${model}.${method} failed: ${err.name}: ${err.message}`,
            );
          }
          if (!canRetry && sent && mayHaveRun(err)) {
            throw new OutcomeUnknownError(err, { local: sent.local, odoo: sent.odoo }, sent.uid, {
              model,
              method,
            });
          }
          throw err;
        }
        const delay = this.opts.retryBaseMs * 2 ** attempt * (0.75 + Math.random() / 2);
        scope?.log?.(
          'warning',
          `Odoo call ${model}.${method} did not reach Odoo (${(err as Error).message}); retrying in ${Math.round(delay)} ms (retry ${attempt + 1} of ${this.opts.retries})`,
        );
        const signals = [options.signal, scope?.signal].filter((x): x is AbortSignal => x !== undefined);
        try {
          await sleep(delay, signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
        } catch (abort) {
          if (scope?.signal?.aborted) throw new CancelledError(`${model}.${method} was not sent again`);
          throw abort;
        }
      }
    }
  }

  // ---- typed helpers -------------------------------------------------------------------------

  async fieldsGet(
    model: string,
    attributes: readonly string[] = FIELD_ATTRIBUTES,
    options: CallOptions & { context?: Context } = {},
  ): Promise<FieldsMeta> {
    const key = `${model}\u0000${attributes.join(',')}\u0000${JSON.stringify(options.context ?? {})}`;
    const hit = this.metaCache?.get(key);
    if (hit) return hit;
    // Shared with the other replicas, per Odoo database and user: what a user may see of a model's
    // fields depends on their groups.
    const shared = this.opts.sharedCache;
    const sharedKey = shared
      ? `${this.opts.database ?? ''}\u0000${await this.uid(options.signal)}\u0000${key}`
      : '';
    const found = shared ? await shared.get(sharedKey).catch(() => undefined) : undefined;
    if (found) {
      this.metaCache?.set(key, found);
      return found;
    }
    const fields = (await this.execute(
      model,
      'fields_get',
      { kwargs: { attributes }, context: options.context },
      options,
    )) as FieldsMeta;
    this.metaCache?.set(key, fields);
    if (shared) await shared.set(sharedKey, fields).catch(() => undefined);
    return fields;
  }

  /** Records with plain JSON values (many2one as {id, name}, empty as null), via cached field types. */
  async searchRead(
    model: string,
    query: {
      domain?: Domain;
      fields?: string[];
      offset?: number;
      limit?: number;
      order?: string;
      context?: Context;
    } = {},
    options: CallOptions = {},
  ): Promise<OdooRecord[]> {
    const kwargs: Record<string, unknown> = { domain: query.domain ?? [] };
    if (query.fields) kwargs.fields = query.fields;
    if (query.offset) kwargs.offset = query.offset;
    if (query.limit !== undefined) kwargs.limit = query.limit;
    if (query.order) kwargs.order = query.order;
    const [records, meta] = await Promise.all([
      this.execute(model, 'search_read', { kwargs, context: query.context }, options) as Promise<
        OdooRecord[]
      >,
      this.fieldsGet(model, undefined, options),
    ]);
    return decodeRecords(records, meta);
  }

  async read(
    model: string,
    ids: number[],
    query: { fields?: string[]; context?: Context } = {},
    options: CallOptions = {},
  ): Promise<OdooRecord[]> {
    const kwargs: Record<string, unknown> = {};
    if (query.fields) kwargs.fields = query.fields;
    const [records, meta] = await Promise.all([
      this.execute(model, 'read', { ids, kwargs, context: query.context }, options) as Promise<OdooRecord[]>,
      this.fieldsGet(model, undefined, options),
    ]);
    return decodeRecords(records, meta);
  }

  async search(
    model: string,
    query: { domain?: Domain; offset?: number; limit?: number; order?: string; context?: Context } = {},
    options: CallOptions = {},
  ): Promise<number[]> {
    const kwargs: Record<string, unknown> = {};
    if (query.offset) kwargs.offset = query.offset;
    if (query.limit !== undefined) kwargs.limit = query.limit;
    if (query.order) kwargs.order = query.order;
    return (await this.execute(
      model,
      'search',
      { args: [query.domain ?? []], kwargs, context: query.context },
      options,
    )) as number[];
  }

  async searchCount(
    model: string,
    domain: Domain = [],
    context?: Context,
    options: CallOptions = {},
  ): Promise<number> {
    return (await this.execute(model, 'search_count', { args: [domain], context }, options)) as number;
  }

  /** One dict gives one id, a list gives a list, whatever the protocol answers. */
  async create(
    model: string,
    values: Record<string, unknown>,
    context?: Context,
    options?: CallOptions,
  ): Promise<number>;
  async create(
    model: string,
    values: Record<string, unknown>[],
    context?: Context,
    options?: CallOptions,
  ): Promise<number[]>;
  async create(
    model: string,
    values: Record<string, unknown> | Record<string, unknown>[],
    context?: Context,
    options: CallOptions = {},
  ): Promise<number | number[]> {
    const result = await this.execute(model, 'create', { args: [values], context }, options);
    if (Array.isArray(values)) return Array.isArray(result) ? (result as number[]) : [result as number];
    return Array.isArray(result) ? (result[0] as number) : (result as number);
  }

  async write(
    model: string,
    ids: number[],
    values: Record<string, unknown>,
    context?: Context,
    options: CallOptions = {},
  ): Promise<boolean> {
    return (await this.execute(model, 'write', { ids, args: [values], context }, options)) as boolean;
  }

  async unlink(model: string, ids: number[], context?: Context, options: CallOptions = {}): Promise<boolean> {
    return (await this.execute(model, 'unlink', { ids, context }, options)) as boolean;
  }

  /** copy returns an int on 17 and a list later; always one id here. */
  async copy(
    model: string,
    id: number,
    defaults?: Record<string, unknown>,
    context?: Context,
    options: CallOptions = {},
  ): Promise<number> {
    const result = await this.execute(
      model,
      'copy',
      { ids: [id], kwargs: defaults ? { default: defaults } : {}, context },
      options,
    );
    return Array.isArray(result) ? (result[0] as number) : (result as number);
  }

  /** name_search's domain parameter is `args` before 18 and `domain` since; pass it by position. */
  async nameSearch(
    model: string,
    name: string,
    query: { domain?: Domain; operator?: string; limit?: number; context?: Context } = {},
    options: CallOptions = {},
  ): Promise<Array<{ id: number; name: string }>> {
    const result = (await this.execute(
      model,
      'name_search',
      {
        args: [name, query.domain ?? [], query.operator ?? 'ilike', query.limit ?? 100],
        context: query.context,
      },
      options,
    )) as Array<[number, string]>;
    return result.map(([id, display]) => ({ id, name: display }));
  }

  async defaultGet(model: string, fields: string[], context?: Context, options: CallOptions = {}) {
    return (await this.execute(model, 'default_get', { args: [fields], context }, options)) as Record<
      string,
      unknown
    >;
  }

  /** read_group up to 18, formatted_read_group from 19 (read_group is deprecated there). */
  async readGroup(
    model: string,
    query: {
      domain?: Domain;
      groupby: string[];
      aggregates?: string[];
      order?: string;
      limit?: number;
      offset?: number;
      context?: Context;
    },
    options: CallOptions = {},
  ): Promise<Array<Record<string, unknown>>> {
    const { version } = await this.resolve(options.signal);
    const aggregates = query.aggregates ?? ['__count'];
    if (version.major >= 19) {
      const kwargs: Record<string, unknown> = {
        domain: query.domain ?? [],
        groupby: query.groupby,
        aggregates,
      };
      if (query.order) kwargs.order = query.order;
      if (query.limit !== undefined) kwargs.limit = query.limit;
      if (query.offset) kwargs.offset = query.offset;
      return (await this.execute(
        model,
        'formatted_read_group',
        { kwargs, context: query.context },
        options,
      )) as Array<Record<string, unknown>>;
    }
    const kwargs: Record<string, unknown> = {
      domain: query.domain ?? [],
      fields: aggregates.filter((a) => a !== '__count'),
      groupby: query.groupby,
      lazy: false,
    };
    if (query.order) kwargs.orderby = query.order;
    if (query.limit !== undefined) kwargs.limit = query.limit;
    if (query.offset) kwargs.offset = query.offset;
    return (await this.execute(model, 'read_group', { kwargs, context: query.context }, options)) as Array<
      Record<string, unknown>
    >;
  }

  /** What the server's version offers (probing it first when needed). */
  async features(options: CallOptions = {}): Promise<VersionFeatures> {
    const { version } = await this.resolve(options.signal);
    return versionFeatures(version.major);
  }

  /**
   * One page of records with the total count in a single request. web_search_read exists on
   * every version; 17+ take a specification (many2one asked with their display_name), 15 and 16
   * a field list whose many2one come back as [id, name] already.
   */
  async searchPage(
    model: string,
    query: {
      domain: Domain;
      fields: string[];
      offset: number;
      limit: number;
      order?: string;
      context?: Context;
    },
    options: CallOptions = {},
  ): Promise<SearchPage> {
    const [features, meta] = await Promise.all([
      this.features(options),
      this.fieldsGet(model, undefined, options),
    ]);
    const many2one = new Set(query.fields.filter((f) => meta[f]?.type === 'many2one'));
    const kwargs: Record<string, unknown> = {
      domain: query.domain,
      offset: query.offset,
      limit: query.limit,
    };
    if (features.webSearchReadSpecification) {
      const spec: Record<string, unknown> = {};
      for (const f of query.fields) spec[f] = many2one.has(f) ? { fields: { display_name: {} } } : {};
      kwargs.specification = spec;
    } else {
      kwargs.fields = query.fields;
    }
    if (query.order) kwargs.order = query.order;
    const result = (await this.execute(
      model,
      'web_search_read',
      { kwargs, context: query.context },
      options,
    )) as { length: number; records: OdooRecord[] };
    const records = features.webSearchReadSpecification
      ? result.records.map((r) => flattenMany2one(r, many2one))
      : result.records;
    // web_search_read answers length 0 for a page past the end, however many records match.
    const length =
      records.length === 0 && query.offset > 0
        ? await this.searchCount(model, query.domain, query.context, options)
        : result.length;
    return { records, length };
  }

  /** Whether the user may do `operation` on `model` (check_access_rights exists on 15-19). */
  async checkAccessRights(
    model: string,
    operation: 'read' | 'write' | 'create' | 'unlink',
    options: CallOptions = {},
  ) {
    return (await this.execute(
      model,
      'check_access_rights',
      { args: [operation], kwargs: { raise_exception: false } },
      options,
    )) as boolean;
  }

  /** Odoo's clock now, as the Date header of its last answer set it (undefined before any). */
  odooNow(): number | undefined {
    return this.transport.odooNow();
  }

  /** Readies what the first Odoo request needs that takes no request (see HttpTransport.prepare). */
  prepare(): void {
    this.transport.prepare();
  }

  async close(): Promise<void> {
    if (this.ownsTransport) await this.transport.close();
  }
}

/** A specification read's many2one {id, display_name} as the [id, name] pair of a plain read. */
function flattenMany2one(record: OdooRecord, many2one: ReadonlySet<string>): OdooRecord {
  if (many2one.size === 0) return record;
  const out: OdooRecord = { ...record };
  for (const f of many2one) {
    const v = out[f];
    if (v && typeof v === 'object' && !Array.isArray(v) && 'id' in v) {
      const { id, display_name } = v as { id: unknown; display_name?: unknown };
      out[f] = [id, typeof display_name === 'string' ? display_name : false];
    }
  }
  return out;
}
