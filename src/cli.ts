#!/usr/bin/env node
// The executable. The only place that touches process.exit and the signal handlers.
import { main } from './cli/main.js';

const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  untilSignal,
  stdinIsTTY: process.stdin.isTTY === true,
  stdin: process.stdin,
  stdout: process.stdout,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`odoo-mcp-server: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
