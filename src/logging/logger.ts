// Logging with the reference config's shape (Python logging levels, StreamHandler/FileHandler,
// %(...)s formats) on top of pino. stdout is never a destination: in stdio mode it carries the
// protocol. Every line passes through the redactor before it is written.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import type { Config, LogLevel } from '../config/schema.js';
import { createRedactor, type Redactor } from './redact.js';

export type Logger = pino.Logger;

const PINO_LEVEL: Record<LogLevel, pino.Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
  CRITICAL: 'fatal',
};
const PY_LEVEL: Record<number, string> = {
  10: 'DEBUG',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARNING',
  50: 'ERROR',
  60: 'CRITICAL',
};

interface Sink {
  write(line: string): void;
}

/** Python's default asctime: '2026-11-24 03:50:20,123' in local time. */
function asctime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`;
}

const STANDARD = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'logger']);

/** Renders a pino JSON record with a Python logging format string. */
export function formatRecord(format: string, record: Record<string, unknown>): string {
  const values: Record<string, unknown> = {
    asctime: asctime(typeof record.time === 'number' ? record.time : Date.now()),
    name: record.logger ?? record.name ?? 'odoo_mcp',
    levelname: PY_LEVEL[record.level as number] ?? 'INFO',
    levelno: record.level,
    message: record.msg ?? '',
    process: record.pid,
  };
  let line = format.replace(/%\((\w+)\)([-0 +#]*\d*(?:\.\d+)?)([sdif])/g, (_m, key: string, spec: string) => {
    const text = String(values[key] ?? record[key] ?? '');
    const width = Number.parseInt(spec.replace(/[^0-9]/g, '') || '0', 10);
    return spec.startsWith('-') ? text.padEnd(width) : text.padStart(width);
  });
  const extra = Object.fromEntries(Object.entries(record).filter(([k]) => !STANDARD.has(k)));
  if (Object.keys(extra).length > 0) line += ` ${JSON.stringify(extra)}`;
  return line;
}

function fileSink(filename: string): Sink {
  mkdirSync(dirname(filename), { recursive: true });
  return pino.destination({ dest: filename, sync: true, append: true });
}

export interface LoggerOptions {
  /** Secret values to mask on top of the generic patterns. */
  secrets?: Array<string | undefined>;
  /** Where StreamHandler writes; stderr unless a test captures it. */
  stderr?: Sink;
}

export interface CreatedLogger {
  logger: Logger;
  redact: Redactor;
}

export function createLogger(logging: Config['logging'], opts: LoggerOptions = {}): CreatedLogger {
  const redact = createRedactor(opts.secrets ?? []);
  const streams: pino.StreamEntry[] = [];
  for (const handler of logging.handlers) {
    const level = PINO_LEVEL[handler.level ?? logging.level];
    const target: Sink =
      handler.type === 'FileHandler'
        ? fileSink(handler.filename as string)
        : (opts.stderr ?? pino.destination({ dest: 2, sync: true }));
    const format = handler.format ?? logging.format;
    const stream: Sink = {
      write(chunk: string) {
        if (!format) {
          target.write(chunk);
          return;
        }
        try {
          target.write(`${formatRecord(format, JSON.parse(chunk) as Record<string, unknown>)}\n`);
        } catch {
          target.write(chunk);
        }
      },
    };
    streams.push({ level, stream });
  }
  const lowest = Object.values(PINO_LEVEL).find((l) => streams.some((s) => s.level === l)) ?? 'info';
  const logger = pino(
    {
      level: streams.length > 0 ? lowest : 'silent',
      base: { logger: 'odoo_mcp' },
      // Error objects are logged with their stack at debug level only; the message is enough above it.
      serializers: { err: pino.stdSerializers.err },
      hooks: { streamWrite: (s: string) => redact(s) },
    },
    pino.multistream(streams, { dedupe: false }),
  );
  return { logger, redact };
}

/** A logger that writes nothing, for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
