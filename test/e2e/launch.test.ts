// dist/cli.js runs the bundle, and the chunks it loads on demand, through V8's code caches beside
// them: the build leaves them, a run without one (or with one V8 refuses) makes it at exit, and a
// bad one never stops the CLI.
import { execFileSync, spawn } from 'node:child_process';
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
import { startEmulator } from '../../src/emulator/index.js';
import { ADMIN_KEY } from '../helpers/mcp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const isCache = (name: string) => /^[a-z]+-.+\.cache$/.test(name);

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
const cacheOf = (chunk: string) => caches().filter((n) => n.startsWith(`${chunk}-`));

/** The copied CLI over stdio against `url`, fed `frames`; its stdout once it exits. */
function stdio(url: string, database: string, frames: object[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(pkg, 'dist', 'cli.js'), 'stdio', '--url', url, '--db', database, '--user', 'admin'],
      {
        cwd: pkg,
        env: { PATH: process.env.PATH, ODOO_API_KEY: ADMIN_KEY },
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end(frames.map((f) => `${JSON.stringify(f)}\n`).join(''));
  });
}

const SEARCH = [
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
  },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  {
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'search_records', arguments: { model: 'res.partner', limit: 2 } },
  },
];

describe('the code cache of dist/cli.js', () => {
  it('is left by the build for the bundle and undici, for the Node that built it', () => {
    // (A run that used Redis may have added redis's own since.)
    const built = readdirSync(join(DIST, 'chunks')).filter(isCache);
    for (const chunk of ['app', 'undici']) {
      expect(built.filter((n) => n.startsWith(`${chunk}-`))).toEqual([
        expect.stringMatching(
          new RegExp(`^${chunk}-[0-9a-f]{16}-${process.version}-${process.arch}\\.cache$`),
        ),
      ]);
    }
  });

  it('is made for undici by the first Odoo request, then used as it is', async () => {
    const emulator = await startEmulator({ odooVersion: '19.0' });
    try {
      // --version loads no undici: no cache of it.
      run();
      expect(cacheOf('undici')).toEqual([]);
      const first = await stdio(emulator.url, emulator.database, SEARCH);
      expect(first).toContain('"id":2');
      expect(first).not.toContain('"isError":true');
      const [made] = cacheOf('undici');
      expect(made).toBeDefined();
      const file = join(pkg, 'dist', 'chunks', made as string);
      const before = statSync(file);
      expect(before.size).toBeGreaterThan(0);
      const again = await stdio(emulator.url, emulator.database, SEARCH);
      expect(again).toContain('"structuredContent":{"records":[{');
      expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
      // A refused one is replaced, and the search still answers.
      writeFileSync(file, Buffer.alloc(4096, 7));
      expect(await stdio(emulator.url, emulator.database, SEARCH)).not.toContain('"isError":true');
      expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
    } finally {
      await emulator.close();
    }
  });

  it('is made by a run without one, then used as it is', () => {
    expect(run().trim()).toBe(VERSION);
    const [made] = cacheOf('app');
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
    const file = join(pkg, 'dist', 'chunks', cacheOf('app')[0] as string);
    writeFileSync(file, Buffer.alloc(4096, 7));
    expect(run().trim()).toBe(VERSION);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).toBe(false);
  });
});
