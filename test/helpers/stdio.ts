// The stdio transport in process: serveOverStdio over a pair of streams, backed by the Odoo
// emulator, with helpers to write raw lines and collect every frame the server writes.
import { PassThrough } from 'node:stream';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { serveOverStdio } from '../../src/mcp/stdio.js';
import { emulatorServices } from './mcp.js';

export interface Frame {
  jsonrpc?: string;
  id?: string | number | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
}

export interface StdioHarness {
  emulator: Emulator;
  config: Config;
  /** Every frame written to stdout so far, in order. */
  frames: Frame[];
  /** Writes text to stdin as is (add the newline yourself). */
  write(text: string | Buffer): void;
  /** Writes one line. */
  line(text: string): void;
  /** Waits until `predicate` holds for the frames (polling), or throws after `ms`. */
  until(predicate: (frames: Frame[]) => boolean, ms?: number): Promise<void>;
  /** The answer to request `id`, once it comes. */
  answer(id: string | number, ms?: number): Promise<Frame>;
  /** Sends a request and waits for its answer. */
  request(id: string | number, method: string, params?: unknown, ms?: number): Promise<Frame>;
  close(): Promise<void>;
}

export const INIT_PARAMS = {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'stdio-test', version: '1' },
};

export async function startStdio(
  opts: {
    config?: Partial<ConfigInput>;
    emulator?: Emulator;
    initialize?: boolean;
    onListed?: () => void;
  } = {},
): Promise<StdioHarness> {
  const emulator = opts.emulator ?? (await startEmulator({ odooVersion: '19.0' }));
  const { config, odoo, deps } = emulatorServices(emulator, opts.config);
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const frames: Frame[] = [];
  let pending = '';
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      frames.push(JSON.parse(text) as Frame);
    }
  });
  const handle = serveOverStdio(deps, undefined, {
    maxLineBytes: config.stdio.max_line_bytes,
    stdin,
    stdout,
    onListed: opts.onListed,
  });
  const until = async (predicate: (f: Frame[]) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!predicate(frames)) {
      if (Date.now() > deadline)
        throw new Error(`timed out; last frames: ${JSON.stringify(frames.slice(-3))}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const answer = async (id: string | number, ms?: number) => {
    await until((f) => f.some((x) => x.id === id && ('result' in x || 'error' in x)), ms);
    return frames.find((x) => x.id === id && ('result' in x || 'error' in x)) as Frame;
  };
  const h: StdioHarness = {
    emulator,
    config,
    frames,
    write: (text) => void stdin.write(text),
    line: (text) => void stdin.write(`${text}\n`),
    until,
    answer,
    async request(id, method, params, ms) {
      h.line(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) }));
      return answer(id, ms);
    },
    async close() {
      stdin.end();
      await handle.close();
      await odoo.close();
      if (!opts.emulator) await emulator.close();
    },
  };
  if (opts.initialize !== false) {
    await h.request('init', 'initialize', INIT_PARAMS);
    h.line(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  }
  return h;
}

/** The text of a tools/call answer's first text block. */
export function toolText(frame: Frame): string {
  const content = (frame.result?.content ?? []) as Array<{ type: string; text?: string }>;
  return content.find((c) => c.type === 'text')?.text ?? '';
}
