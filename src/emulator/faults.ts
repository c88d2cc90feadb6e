// Network and server misbehaviour the emulator can stage, so clients can be tested against the
// failures a real deployment shows: slow answers, proxies in front of a down Odoo, HTML where JSON
// was expected, connections cut mid-answer, expired sessions. Set at start, switched at run time.

/** When a fault applies: to the next `times` requests, with a `probability` each, or (neither) always. */
export interface FaultTrigger {
  times?: number;
  probability?: number;
}

export interface FaultConfig {
  /** Milliseconds added before every answer. */
  latencyMs: number;
  /** A reverse proxy's error page (nginx wording) instead of the answer; Odoo never sees the request. */
  httpError: (FaultTrigger & { status: 502 | 503 | 504; retryAfterSeconds?: number }) | null;
  /** werkzeug's "Internal Server Error" HTML page (status 500 unless given) instead of the answer. */
  htmlErrorPage: (FaultTrigger & { status?: number }) | null;
  /**
   * JSON-RPC routes answer error.code 100 "Odoo Session Expired" (what an auth='user' route gives
   * once the session is gone). Other protocols have no session and are not affected.
   */
  sessionExpired: FaultTrigger | null;
  /** Odoo answers, but the connection is reset after part of the body was sent. */
  resetMidBody: (FaultTrigger & { afterBytes?: number }) | null;
  /** Odoo answers, but the body trickles out in chunks with pauses in between. */
  slowBody: (FaultTrigger & { chunkBytes?: number; delayMs?: number }) | null;
}

export type FaultKind = Exclude<keyof FaultConfig, 'latencyMs'>;

export interface FaultController {
  /** The faults in force (a copy). */
  get(): FaultConfig;
  /** Changes some faults; the others stay as they are. `null` switches one off. */
  set(patch: Partial<FaultConfig>): void;
  /** Everything off, no added latency. */
  clear(): void;
}

export function noFaults(): FaultConfig {
  return {
    latencyMs: 0,
    httpError: null,
    htmlErrorPage: null,
    sessionExpired: null,
    resetMidBody: null,
    slowBody: null,
  };
}

function copy(c: FaultConfig): FaultConfig {
  const out = { ...c };
  for (const k of Object.keys(out) as (keyof FaultConfig)[]) {
    const v = out[k];
    if (v && typeof v === 'object') (out as Record<string, unknown>)[k] = { ...v };
  }
  return out;
}

function validate(c: FaultConfig): void {
  if (!(c.latencyMs >= 0)) throw new RangeError(`latencyMs must be >= 0, got ${c.latencyMs}`);
  for (const k of ['httpError', 'htmlErrorPage', 'sessionExpired', 'resetMidBody', 'slowBody'] as const) {
    const t = c[k];
    if (!t) continue;
    if (t.times !== undefined && !(Number.isInteger(t.times) && t.times >= 0)) {
      throw new RangeError(`${k}.times must be a non-negative integer`);
    }
    if (t.probability !== undefined && !(t.probability >= 0 && t.probability <= 1)) {
      throw new RangeError(`${k}.probability must be within 0..1`);
    }
  }
}

/** The controller handed to callers, plus the draw the server makes for each request. */
export interface FaultState extends FaultController {
  /** The settings of fault `kind` when it hits this request (consuming one of its `times`). */
  draw<K extends FaultKind>(kind: K): NonNullable<FaultConfig[K]> | undefined;
  /** Back to the configuration given at start. */
  restoreInitial(): void;
}

export function createFaults(initial: Partial<FaultConfig>, random: () => number = Math.random): FaultState {
  const start = { ...noFaults(), ...initial };
  validate(start);
  let config = copy(start);
  return {
    get: () => copy(config),
    set(patch) {
      const next = copy({ ...config, ...patch });
      validate(next);
      config = next;
    },
    clear() {
      config = noFaults();
    },
    restoreInitial() {
      config = copy(start);
    },
    draw(kind) {
      const t = config[kind];
      if (!t) return undefined;
      if (t.times !== undefined && t.times <= 0) return undefined;
      if (t.probability !== undefined && random() >= t.probability) return undefined;
      const hit = { ...t };
      if (t.times !== undefined) {
        t.times -= 1;
        if (t.times === 0) config = { ...config, [kind]: null };
      }
      return hit as NonNullable<FaultConfig[typeof kind]>;
    },
  };
}

/** nginx's page for an upstream that is down or overloaded. */
export function proxyErrorPage(status: number): string {
  const reason =
    status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : 'Gateway Time-out';
  return (
    `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n` +
    `<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  );
}
