// dist/cli.js runs the bundle through V8's code cache beside it: the build leaves one, a run
// without one (or with one V8 refuses) makes it at exit, and a bad one never stops the CLI.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const isCache = (name: string) => /^app-.+\.cache$/.test(name);

beforeAll(() => {
  if (!existsSync(join(DIST, 'cli.js')))
    throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does)');
});

/** A copy of the installed package (package.json, dist/cli.js, dist/chunks/) without a code cache. */
let pkg: string;
beforeEach(() => {
  pkg = mkdtempSync(join(tmpdir(), 'odoo-mcp-launch-'));
  mkdirSync(join(pkg, 'dist', 'chunks'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  copyFileSync(join(DIST, 'cli.js'), join(pkg, 'dist', 'cli.js'));
  for (const name of readdirSync(join(DIST, 'chunks')).filter((n) => !isCache(n)))
    copyFileSync(join(DIST, 'chunks', name), join(pkg, 'dist', 'chunks', name));
});
afterEach(() => rmSync(pkg, { recursive: true, force: true }));

const run = () =>
  execFileSync(process.execPath, [join(pkg, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
const caches = () => readdirSync(join(pkg, 'dist', 'chunks')).filter(isCache);

describe('the code cache of dist/cli.js', () => {
  it('is left by the build, for the Node that built it', () => {
    expect(readdirSync(join(DIST, 'chunks')).filter(isCache)).toEqual([
      expect.stringContaining(`-${process.version}-${process.arch}.cache`),
    ]);
  });

  it('is made by a run without one, then used as it is', () => {
    expect(run().trim()).toBe(VERSION);
    const [made] = caches();
    expect(made).toBeDefined();
    const file = join(pkg, 'dist', 'chunks', made as string);
    const first = statSync(file);
    expect(first.size).toBeGreaterThan(0);
    expect(run().trim()).toBe(VERSION);
    expect(statSync(file).mtimeMs).toBe(first.mtimeMs);
    expect(caches()).toEqual([made]);
  });

  it('is replaced when V8 refuses it, and the run goes on', () => {
    run();
    const file = join(pkg, 'dist', 'chunks', caches()[0] as string);
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(run().trim()).toBe(VERSION);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
  });
});
