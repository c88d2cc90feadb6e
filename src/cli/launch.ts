// dist/cli.js, the package's bin: runs the bundled CLI (dist/chunks/app.cjs, one script) through
// V8's code cache. Parsing and compiling the bundle is a fifth of a cold start; with the cache V8
// reads the compiled code instead (measured in bench/figures.ts, cold start to tools/list). Node 20
// caches no ES module, hence a script. The cache sits beside the bundle, made by the build's own
// start-up (scripts/bundle.mjs) or by the first run of another Node version; V8 refuses one that
// does not fit (its version, flags and the source's length), and then the run goes on without.
// Not part of the TypeScript build's entry points: scripts/bundle.mjs bundles it as is.
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** A digest of app.cjs, written by scripts/bundle.mjs: a cache names the bundle it was made from. */
declare const __ODOO_MCP_APP_DIGEST__: string;

// A young generation of 2 MB per semi-space instead of V8's default growth to 16: the server's
// allocations are short-lived request objects, and this keeps its memory ~10 MB lower (measured
// in bench/figures.ts) at no measurable cost in latency. Set before the bundle is compiled: V8
// refuses a code cache made under other flags.
setFlagsFromString('--max-semi-space-size=2');

const chunks = join(dirname(fileURLToPath(import.meta.url)), 'chunks');
const app = join(chunks, 'app.cjs');
const cacheFile = join(chunks, `app-${__ODOO_MCP_APP_DIGEST__}-${process.version}-${process.arch}.cache`);

/** Compiles the bundle (from the cache when V8 takes it) and arranges for a cache to be made. */
function compile(): Script {
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(cacheFile);
  } catch {
    // None yet: made at exit below.
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(app, 'utf8')}\n})`,
    { filename: app, cachedData: cached },
  );
  if (!cached || script.cachedDataRejected) {
    // At exit the cache holds what this run compiled too, not just the top level.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only install: every start parses the bundle, as without a cache.
        try {
          unlinkSync(tmp);
        } catch {}
      }
    });
  }
  return script;
}

const module = { exports: {} };
(compile().runInThisContext() as (...args: unknown[]) => void)(
  module.exports,
  createRequire(app),
  module,
  app,
  chunks,
);
