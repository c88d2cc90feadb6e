// The CLI, which dist/cli.js (src/cli/launch.ts) starts. The only place that touches
// process.exit and the signal handlers.
import { config as zodConfig } from 'zod';

// Before any schema exists (zod reads it as each schema is built), hence main's import below is
// dynamic: a static one would be evaluated first. zod's JIT compiles a parser per object schema
// on its first parse; a start-up parses hundreds of schemas (the SDK's and ours) about once each,
// so compiling costs more than it saves: cold start a few per cent faster, tool calls no slower
// (measured with the built CLI against the emulator).
zodConfig({ jitless: true });

const untilSignal = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

import('./cli/main.js')
  .then(({ main }) =>
    main(process.argv.slice(2), {
      env: process.env,
      cwd: process.cwd(),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      untilSignal,
      stdinIsTTY: process.stdin.isTTY === true,
      stdin: process.stdin,
      stdout: process.stdout,
    }),
  )
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`odoo-mcp-server: unexpected error: ${(err as Error)?.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
