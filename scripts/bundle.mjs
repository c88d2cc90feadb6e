// Bundles the CLI into dist/chunks/app.cjs, one script, and dist/cli.js (the package's bin,
// src/cli/launch.ts), which runs it through V8's code cache; undici and redis, loaded on demand,
// are scripts of their own beside it. One file parses and loads faster than ~300 modules, and a
// cached one faster still: measured in bench/figures.ts (cold start, spawn to tools/list). Run
// after tsc (npm run build), which type-checks and writes the module tree the bundle replaces.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

// Two imports that only dead code needs, dropped from the start-up path:
// - zod's namespace re-exports every locale (~360 KB); the server only ever uses English, which
//   zod registers by itself, so `z.locales` keeps just `en`.
// - the SDK's default JSON Schema validator (ajv, ~290 KB) is only used to check elicitation
//   answers; it is loaded from the SDK's own CommonJS build the first time it is asked for.
const trim = {
  name: 'trim-start-up',
  setup(b) {
    b.onResolve({ filter: /^(\.\.\/)+locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'trim' }
        : undefined,
    );
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, (args) =>
      args.kind === 'require-call' ? { external: true } : { path: 'sdk-shims', namespace: 'trim' },
    );
    b.onLoad({ filter: /^zod-locales$/, namespace: 'trim' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(require.resolve('zod/v4/locales/en.js'))};`,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
    b.onLoad({ filter: /^sdk-shims$/, namespace: 'trim' }, () => ({
      contents: `import process from 'node:process';
export class DefaultJsonSchemaValidator {
  getValidator(schema) {
    this.real ??= new (require('@modelcontextprotocol/server/_shims').DefaultJsonSchemaValidator)();
    return this.real.getValidator(schema);
  }
}
export { process };`,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

// The tools' listed JSON Schemas, from tsc's output of the same sources: converting zod schemas
// is a tenth of the start-up. test/e2e/stdio.test.ts checks the bundle lists what the sources do.
const { TOOLS } = await import('../dist/mcp/tools/index.js');
const { listedSchema, toPortableJsonSchema } = await import('../dist/mcp/json-schema.js');
const listed = Object.fromEntries(
  TOOLS.map((t) => [
    t.name,
    {
      input: listedSchema(toPortableJsonSchema(t.input, 'input'), 'input'),
      output: listedSchema(toPortableJsonSchema(t.output, 'output'), 'output'),
    },
  ]),
);

// Self-contained CommonJS packages that only some commands load (undici on the first Odoo request,
// redis for shared HTTP state): kept out of app.cjs, so that a start without a code cache parses
// ~1.2 MB less.
const VENDORED = ['undici', 'redis'];
const vendored = {
  name: 'vendored',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${VENDORED.join('|')})$`) }, (args) => ({
      path: `./${args.path}.cjs`,
      external: true,
    }));
  },
};
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  legalComments: 'none',
  // Less source to read and parse at every start.
  minifyWhitespace: true,
};

rmSync('dist/chunks', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: Object.fromEntries(VENDORED.map((name) => [name, require.resolve(name)])),
  outdir: 'dist/chunks',
  outExtension: { '.js': '.cjs' },
});
await build({
  ...common,
  entryPoints: { app: 'src/cli.ts' },
  outdir: 'dist/chunks',
  outExtension: { '.js': '.cjs' },
  packages: 'bundle',
  plugins: [trim, vendored],
  // A script run by vm has no import(): loads on demand become require().
  supported: { 'dynamic-import': false },
  define: {
    __ODOO_MCP_LISTED_SCHEMAS__: JSON.stringify(listed),
    // packageRoot() finds package.json from the bundle's own place.
    'import.meta.url': '__odooMcpUrl',
  },
  banner: { js: "'use strict';const __odooMcpUrl=require('node:url').pathToFileURL(__filename).href;" },
});
const digests = Object.fromEntries(
  ['app', ...VENDORED].map((name) => [
    name,
    createHash('sha256')
      .update(readFileSync(`dist/chunks/${name}.cjs`))
      .digest('hex')
      .slice(0, 16),
  ]),
);
await build({
  ...common,
  entryPoints: { cli: 'src/cli/launch.ts' },
  outdir: 'dist',
  format: 'esm',
  define: { __ODOO_MCP_DIGESTS__: JSON.stringify(digests) },
  banner: { js: '#!/usr/bin/env node' },
});

// The code caches of this Node, made by dist/cli.js itself at exit, for what an MCP client's first
// minutes run: initialize, tools/list and a first search, whose Odoo request loads undici (so its
// chunk gets a cache too) and whose tool path is compiled into app.cjs's cache. The Odoo is the
// emulator tsc just built, in this process: the CLI's caches hold none of its code. An empty
// working directory keeps a config file of the checkout's out of it.
const { startEmulator } = await import(pathToFileURL(resolve('dist/emulator/index.js')).href);
const emulator = await startEmulator({ odooVersion: '19.0' });
const frames = [
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'build', version: '0' } },
  },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
  {
    jsonrpc: '2.0',
    id: 3,
    method: 'tools/call',
    params: { name: 'search_records', arguments: { model: 'res.partner', limit: 5 } },
  },
];
const empty = mkdtempSync(join(tmpdir(), 'odoo-mcp-build-'));
const warm = await new Promise((done) => {
  const child = spawn(
    process.execPath,
    [resolve('dist/cli.js'), 'stdio', '--url', emulator.url, '--db', emulator.database, '--user', 'admin'],
    {
      cwd: empty,
      // The emulator's seeded admin key (the corpus placeholder).
      env: { PATH: process.env.PATH, ODOO_API_KEY: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    // SIGTERM is a clean shutdown (exit 0) for the CLI: the run must still count as failed.
    timedOut = true;
    child.kill('SIGKILL');
  }, 60_000);
  child.on('close', (status) => {
    clearTimeout(timer);
    done({ status: timedOut ? 'timed out' : status, stdout, stderr });
  });
  child.stdin.end(frames.map((f) => `${JSON.stringify(f)}\n`).join(''));
});
await emulator.close();
rmSync(empty, { recursive: true, force: true });
const answers = warm.stdout
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    try {
      return JSON.parse(line);
    } catch {
      return undefined;
    }
  });
// An answer with a result, not a JSON-RPC error nor a tool error.
const answered = (id) => answers.some((f) => f?.id === id && f.result && !f.result.isError);
if (warm.status !== 0 || !answered(2) || !answered(3)) {
  throw new Error(`dist/cli.js did not list its tools and search: ${warm.stderr || warm.stdout}`);
}
