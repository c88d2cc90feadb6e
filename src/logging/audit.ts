// The audit log of writes (audit.file): one JSON line when a write is about to go to Odoo (intent)
// and one when its outcome is known, tied by a call id. Lines are written synchronously, so the
// intent is on disk before Odoo is asked and a crash mid-write still leaves it. Field values stay
// out unless audit.values is on: they may hold secrets or personal data.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Redactor } from './redact.js';

export type AuditOutcome = 'applied' | 'failed' | 'unknown';

export interface AuditCaller {
  /** The HTTP client: a fingerprint of its bearer token, or its OAuth client id. Never the token. */
  client?: string;
  session?: string;
  /** The Odoo login the call runs as. */
  login?: string;
}

export interface AuditIntent {
  tool: string;
  model?: string;
  method?: string;
  ids?: number[];
  /** Names of the fields written; their values only with audit.values. */
  fields?: string[];
  values?: unknown;
  caller: AuditCaller;
}

export interface AuditLog {
  /** Records the intent and returns the call id its outcome refers to. Throws when it cannot write. */
  intent(entry: AuditIntent): string;
  outcome(
    call: string,
    outcome: AuditOutcome,
    detail?: { ids?: number[]; error?: { type: string; message: string }; note?: string },
  ): void;
  /** Whether intents carry field values. */
  readonly values: boolean;
}

export class AuditWriteError extends Error {
  constructor(path: string, cause: unknown) {
    super(
      `The audit log ${path} cannot be written (${cause instanceof Error ? cause.message : String(cause)}), and this server makes no change it cannot record.`,
      { cause },
    );
    this.name = 'AuditWriteError';
  }
}

const MAX_MESSAGE = 500;

class FileAuditLog implements AuditLog {
  private fd: number;
  private readonly started = new Map<string, number>();

  constructor(
    private readonly path: string,
    readonly values: boolean,
    private readonly redact: Redactor | undefined,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // Owner-only: the log names users and records.
    this.fd = openSync(path, 'a', 0o600);
  }

  private write(line: Record<string, unknown>): void {
    writeSync(this.fd, `${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  }

  /** Known secrets masked in every string of the values; the line itself stays valid JSON. */
  private masked(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact ? this.redact(value) : value;
    if (value === null || typeof value !== 'object' || depth > 50) return value;
    if (Array.isArray(value)) return value.map((v) => this.masked(v, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.masked(v, depth + 1)]));
  }

  intent(entry: AuditIntent): string {
    const call = randomBytes(8).toString('hex');
    const { values, ...rest } = entry;
    try {
      this.write({
        event: 'intent',
        call,
        ...rest,
        ...(this.values && values !== undefined ? { values: this.masked(values) } : {}),
      });
    } catch (err) {
      throw new AuditWriteError(this.path, err);
    }
    this.started.set(call, Date.now());
    return call;
  }

  outcome(
    call: string,
    outcome: AuditOutcome,
    detail: { ids?: number[]; error?: { type: string; message: string }; note?: string } = {},
  ): void {
    const began = this.started.get(call);
    this.started.delete(call);
    const error = detail.error && {
      type: detail.error.type,
      message: (this.redact ? this.redact(detail.error.message) : detail.error.message).slice(0, MAX_MESSAGE),
    };
    try {
      this.write({
        event: 'outcome',
        call,
        outcome,
        ...(detail.ids ? { ids: detail.ids } : {}),
        ...(error ? { error } : {}),
        ...(detail.note ? { note: detail.note } : {}),
        ...(began !== undefined ? { ms: Date.now() - began } : {}),
      });
    } catch {
      // The intent is on disk; losing the outcome line must not turn a done write into an error.
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

// One file handle per path, shared by the services of every Odoo identity.
const open = new Map<string, FileAuditLog>();

/** The audit log for this configuration, or undefined when audit.file is not set. */
export function auditLogFor(
  audit: { file?: string; values: boolean },
  redact?: Redactor,
): AuditLog | undefined {
  if (!audit.file) return undefined;
  const path = resolve(audit.file);
  const key = `${path}\0${audit.values}`;
  let log = open.get(key);
  if (!log) {
    log = new FileAuditLog(path, audit.values, redact);
    open.set(key, log);
  }
  return log;
}

/** Closes every audit log (tests and shutdown). */
export function closeAuditLogs(): void {
  for (const log of open.values()) log.close();
  open.clear();
}
