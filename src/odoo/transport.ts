// HTTP to Odoo: keep-alive connections through undici, at most `poolSize` requests in flight
// (the rest queue), a timeout per request, and connection failures turned into NetworkError.
import type { Agent } from 'undici';
import { NetworkError, type NetworkErrorKind } from './errors.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface TransportOptions {
  baseUrl: string;
  poolSize: number;
  timeoutMs: number;
}

/** A FIFO counting semaphore: the queue in front of Odoo. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly size: number) {}

  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.waiters.length;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.size) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
    this.active++;
    return this.releaser();
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.waiters.shift()?.();
    };
  }
}

// A proxy in front of Odoo (or Odoo restarting) answers these; the request did not run.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

const CODE_KIND: Record<string, NetworkErrorKind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
};

// undici is loaded on the first request, not at start-up: it is a third of the start-up time, and
// tools/list, doctor's config checks and --help need no Odoo connection.
let undici: Promise<typeof import('undici')> | undefined;
const loadUndici = () => {
  // A bundle's chunk of a CommonJS package exports it as `default` only.
  undici ??= import('undici').then(
    (m) => ('Agent' in m ? m : (m as unknown as { default: typeof m }).default),
    (err: unknown) => {
      // Not kept: the next request tries again.
      undici = undefined;
      throw err;
    },
  );
  return undici;
};

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export class HttpTransport {
  private agent?: Agent;
  private readonly gate: Semaphore;
  /** Odoo's clock minus ours, from the last answer's Date header (it has whole seconds). */
  private skewMs?: number;
  readonly baseUrl: string;

  constructor(private readonly opts: TransportOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.gate = new Semaphore(opts.poolSize);
  }

  get stats(): { inFlight: number; queued: number } {
    return { inFlight: this.gate.inFlight, queued: this.gate.queued };
  }

  /** Odoo's time now as its last answer set it, or undefined before any dated answer. */
  odooNow(): number | undefined {
    return this.skewMs === undefined ? undefined : Date.now() + this.skewMs;
  }

  /**
   * Loads the HTTP client now, while nothing waits (it is most of a first request's time), without
   * sending anything. A failure is left for the first request to meet and report.
   */
  prepare(): void {
    loadUndici().catch(() => undefined);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    // One controller and a timer cleared at the end: AbortSignal.timeout and .any cost several
    // times more per request (a timer left to fire, signals held until collected).
    const abort = new AbortController();
    const signal = abort.signal;
    const timer = setTimeout(
      () => abort.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
      this.opts.timeoutMs,
    );
    timer.unref();
    const callerSignal = req.signal;
    const onCallerAbort = () => abort.abort(callerSignal?.reason);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const url = `${this.baseUrl}${req.path}`;
    let release: (() => void) | undefined;
    try {
      release = await this.gate.acquire(signal);
      const { Agent, request } = await loadUndici();
      this.agent ??= new Agent({ connections: this.opts.poolSize, keepAliveTimeout: 30_000, pipelining: 1 });
      const res = await request(url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        dispatcher: this.agent,
      });
      const body = await res.body.text();
      const date = res.headers.date;
      const dated = typeof date === 'string' ? Date.parse(date) : Number.NaN;
      if (!Number.isNaN(dated)) this.skewMs = dated - Date.now();
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      if (GATEWAY_STATUSES.has(res.statusCode)) {
        throw new NetworkError(
          `Odoo at ${this.baseUrl} is unavailable (HTTP ${res.statusCode} from the server or its proxy)`,
          'unavailable',
          { details: { httpStatus: res.statusCode } },
        );
      }
      return { status: res.statusCode, headers, body };
    } catch (err) {
      throw this.toNetworkError(err, signal, callerSignal);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      release?.();
    }
  }

  private toNetworkError(err: unknown, signal: AbortSignal, callerSignal?: AbortSignal): unknown {
    if (err instanceof NetworkError) return err;
    const where = this.baseUrl;
    if (callerSignal?.aborted) {
      return new NetworkError(`Request to Odoo at ${where} was cancelled`, 'other', { cause: err });
    }
    if (signal.aborted) {
      return new NetworkError(
        `Odoo at ${where} did not answer within ${this.opts.timeoutMs / 1000} s (raise "timeout" if the server is slow)`,
        'timeout',
        { cause: err },
      );
    }
    const code = errorCode(err);
    const kind = (code && CODE_KIND[code]) || 'other';
    const reason =
      kind === 'refused'
        ? 'connection refused'
        : kind === 'dns'
          ? 'host name not found'
          : kind === 'reset'
            ? 'connection reset'
            : kind === 'timeout'
              ? 'timed out'
              : ((err as Error)?.message ?? 'network error');
    return new NetworkError(`Could not connect to Odoo server at ${where} (${reason})`, kind, { cause: err });
  }

  async close(): Promise<void> {
    await this.agent?.close();
  }
}
