// The Odoo emulator for the benchmarks, either in the bench process or in a child process of its
// own (so that its work does not share an event loop with the load clients), behind one handle
// that reads the request log's total over IPC when the emulator is a child.
// Not run directly: bench/figures.ts and bench/http-load.ts fork this file with --child.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/index.js';

export interface EmulatorHandle {
  url: string;
  database: string;
  /** The process that answers the emulator's HTTP requests. */
  pid: number;
  /** Requests the emulator has seen since it started (its request log's total). */
  requests(): Promise<number>;
  close(): Promise<void>;
}

type ToChild = { type: 'total'; id: number };
type FromChild =
  | { type: 'listening'; url: string; database: string }
  | { type: 'total'; id: number; total: number };

export async function emulatorInProcess(): Promise<EmulatorHandle> {
  const emulator = await startEmulator({ odooVersion: '19.0' });
  return {
    url: emulator.url,
    database: emulator.database,
    pid: process.pid,
    requests: async () => emulator.log.total,
    close: () => emulator.close(),
  };
}

export async function emulatorInChild(): Promise<EmulatorHandle> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (total: number) => void>();
  let next = 0;
  const listening = await new Promise<{ url: string; database: string }>((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`the emulator process exited (${code})`)));
    child.on('message', (m: FromChild) => {
      if (m.type === 'listening') ok(m);
      else waiting.get(m.id)?.(m.total);
    });
  });
  return {
    ...listening,
    pid: child.pid as number,
    requests() {
      const id = next++;
      return new Promise((ok) => {
        waiting.set(id, (total) => {
          waiting.delete(id);
          ok(total);
        });
        child.send({ type: 'total', id } satisfies ToChild);
      });
    },
    close() {
      return new Promise((ok) => {
        child.removeAllListeners('exit');
        child.once('exit', () => ok());
        child.disconnect();
        setTimeout(() => child.kill(), 5000).unref();
      });
    },
  };
}

async function child(): Promise<void> {
  const emulator = await startEmulator({ odooVersion: '19.0' });
  process.on('message', (m: ToChild) => {
    if (m.type === 'total')
      process.send?.({ type: 'total', id: m.id, total: emulator.log.total } satisfies FromChild);
  });
  process.on('disconnect', () => void emulator.close());
  process.send?.({ type: 'listening', url: emulator.url, database: emulator.database } satisfies FromChild);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--child') await child();
