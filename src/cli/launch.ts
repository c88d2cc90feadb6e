// dist/cli.js, the package's bin: runs the bundled CLI (dist/chunks/app.cjs, one script) through
// V8's code cache, and so the chunks it loads on demand (undici on the first Odoo request, redis).
// Parsing and compiling the bundle is a fifth of a cold start, and undici's most of a first tool
// call; with the cache V8 reads the compiled code instead (measured in bench/figures.ts). Node 20
// caches no ES module, hence scripts. Each cache sits beside its script, made by the build's own
// run (scripts/bundle.mjs) or by the first run of another Node version; V8 refuses one that
// does not fit (its version, flags and the source's length), and then the run goes on without.
// Not part of the TypeScript build's entry points: scripts/bundle.mjs bundles it as is.
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/**
 * Digests of the bundle and of the chunks it loads on demand, written by scripts/bundle.mjs: a
 * cache names the script it was made from (V8 itself only checks the source's length).
 */
declare const __ODOO_MCP_DIGESTS__: Record<string, string>;

// A young generation of 2 MB per semi-space instead of V8's default growth to 16: the server's
// allocations are short-lived request objects, and this keeps its memory ~10 MB lower (measured
// in bench/figures.ts) at no measurable cost in latency. Set before the bundle is compiled: V8
// refuses a code cache made under other flags.
setFlagsFromString('--max-semi-space-size=2');

const chunks = join(dirname(fileURLToPath(import.meta.url)), 'chunks');
const nodeRequire = createRequire(join(chunks, 'app.cjs'));

/**
 * Runs chunks/<name>.cjs as a CommonJS module compiled from its code cache when V8 takes it, and
 * arranges for a cache to be made at exit when there was none (or V8 refused it): the cache then
 * holds what the run compiled too, not just the top level.
 */
function run(name: string, module: { exports: unknown }): void {
  const file = join(chunks, `${name}.cjs`);
  const cacheFile = join(
    chunks,
    `${name}-${__ODOO_MCP_DIGESTS__[name]}-${process.version}-${process.arch}.cache`,
  );
  let cached: Buffer | undefined;
  try {
    cached = readFileSync(cacheFile);
  } catch {
    // None yet: made at exit below.
  }
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`,
    { filename: file, cachedData: cached },
  );
  if (!cached || script.cachedDataRejected) {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}`;
      let fd: number | undefined;
      try {
        // Opened before the cache is serialised: a read-only install pays nothing at exit.
        fd = openSync(tmp, 'wx');
        writeSync(fd, script.createCachedData());
        closeSync(fd);
        fd = undefined;
        renameSync(tmp, cacheFile);
      } catch {
        // A read-only install: every start parses the script, as without a cache.
        try {
          if (fd !== undefined) closeSync(fd);
          unlinkSync(tmp);
        } catch {}
      }
    });
  }
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    bundleRequire,
    module,
    file,
    chunks,
  );
}

/**
 * The chunks app.cjs loads on demand (undici, redis), each run once through its own cache; a
 * module is known before it runs, as Node's own are, so that a circular load gets its exports.
 */
const loaded = new Map<string, { exports: unknown }>();
const CHUNK = /^\.\/([a-z]+)\.cjs$/;
const bundleRequire = Object.assign((id: string): unknown => {
  const name = CHUNK.exec(id)?.[1];
  if (!name || !Object.hasOwn(__ODOO_MCP_DIGESTS__, name) || name === 'app') return nodeRequire(id);
  let module = loaded.get(name);
  if (!module) {
    module = { exports: {} };
    loaded.set(name, module);
    try {
      run(name, module);
    } catch (err) {
      // As Node does: a module that threw is run again by the next require.
      loaded.delete(name);
      throw err;
    }
  }
  return module.exports;
}, nodeRequire);

run('app', { exports: {} });
