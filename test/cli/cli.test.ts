// The CLI in process: exit codes, error lines, doctor and read against the emulator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    env,
    cwd: mkdtempSync(join(tmpdir(), 'odoo-mcp-cli-')),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    untilSignal: () => new Promise(() => {}),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const QUIET = { ODOO_MCP_LOGGING_LEVEL: 'CRITICAL' };
const KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';

describe('cli', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ odooVersion: '18.0' });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('--help and --version exit 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT_OK);
    expect(help.out).toContain('odoo-mcp-server doctor');
    const version = await run(['--version']);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('bad usage and bad configuration exit 2 with one line per problem, never a stack trace or a secret', async () => {
    const usage = await run(['frobnicate']);
    expect(usage.code).toBe(EXIT_USAGE);
    expect(usage.err).toContain('unknown command or transport "frobnicate"');
    const dir = mkdtempSync(join(tmpdir(), 'odoo-mcp-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ protocol: 'soap', timeout: -1, api_key: 'very-secret-key-1234' }));
    const bad = await run(['doctor', file]);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.err.split('\n')).toEqual([
      'config: protocol: got "soap"; use one of "auto", "xmlrpc", "jsonrpc", "json2".',
      'config: timeout: got -1; use a value greater than 0.',
    ]);
    expect(bad.err).not.toContain('very-secret-key-1234');
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  it('missing settings say how to set them', async () => {
    const r = await run(['doctor'], QUIET);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.err).toContain('odoo_url is missing; set "odoo_url" in the config file or ODOO_URL');
  });

  it('doctor prints version, protocol and why, database, user and access', async () => {
    const r = await run(['doctor', '--url', emu.url, '--db', emu.database, '--user', 'admin'], {
      ...QUIET,
      ODOO_API_KEY: KEY,
    });
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toContain(`Odoo server:  ${emu.url} (Odoo 18.0-20250702)`);
    expect(r.out).toContain(
      'Protocol:     jsonrpc (Odoo 18.0-20250702 has no JSON-2 API (19+), using JSON-RPC)',
    );
    expect(r.out).toContain(`Database:     ${emu.database}`);
    expect(r.out).toContain('User:         admin (uid 2, Mitchell Admin)');
    expect(r.out).toContain('res.partner:  this user may read partners');
    expect(r.out).not.toContain(KEY);
  });

  it('doctor explains a refused connection, bad credentials and a non-Odoo server, exit 1', async () => {
    const refused = await run(['doctor', '--url', 'http://127.0.0.1:9', '--user', 'admin', '--db', 'x'], {
      ...QUIET,
      ODOO_API_KEY: KEY,
      ODOO_MCP_RETRIES: '0',
    });
    expect(refused.code).toBe(EXIT_FAILURE);
    expect(refused.err).toContain(
      'Could not connect to Odoo server at http://127.0.0.1:9 (connection refused)',
    );
    expect(refused.err).toContain('Fix: Check odoo_url');
    const badKey = await run(['doctor', '--url', emu.url, '--db', emu.database, '--user', 'admin'], {
      ...QUIET,
      ODOO_API_KEY: 'wrong-key-wrong-key-wrong',
    });
    expect(badKey.code).toBe(EXIT_FAILURE);
    expect(badKey.err).toContain(
      `Authentication failed: check username and api_key, and that database ${emu.database} exists`,
    );
    expect(badKey.err).not.toContain('wrong-key-wrong-key-wrong');
  });

  it('read prints a resource, and fails with the error text and exit 1', async () => {
    const env = {
      ...QUIET,
      ODOO_URL: emu.url,
      ODOO_DB: emu.database,
      ODOO_USERNAME: 'admin',
      ODOO_API_KEY: KEY,
    };
    const ok = await run(['read', 'odoo://res.partner/1'], env);
    expect(ok.code).toBe(EXIT_OK);
    expect(JSON.parse(ok.out)).toMatchObject({ id: 1, name: expect.any(String) });
    const missing = await run(['read', 'odoo://res.partner/999999'], env);
    expect(missing.code).toBe(EXIT_FAILURE);
    expect(missing.err).toContain('res.partner has no record with id 999999');
  });

  it("emulator serves Odoo's API until a signal arrives", async () => {
    const err: string[] = [];
    let stop: () => void = () => {};
    const done = main(['emulator', '--port', '0', '--odoo-version', '17.0'], {
      env: QUIET,
      cwd: tmpdir(),
      out: () => {},
      err: (l) => err.push(l),
      untilSignal: () =>
        new Promise<void>((resolve) => {
          stop = resolve;
        }),
    });
    let url: string | undefined;
    for (let i = 0; i < 100 && !url; i++) {
      url = /listening on (http:\/\/\S+);/.exec(err.join('\n'))?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 20));
    }
    expect(url).toBeDefined();
    const res = await fetch(`${url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'call',
        params: { service: 'common', method: 'version', args: [] },
        id: 1,
      }),
    });
    const body = (await res.json()) as { result: { server_version_info: unknown[] } };
    expect(body.result.server_version_info[0]).toBe(17);
    stop();
    expect(await done).toBe(EXIT_OK);
  });

  it('read works on --demo', async () => {
    const r = await run(['read', 'odoo://instance/info', '--demo'], QUIET);
    expect(r.code).toBe(EXIT_OK);
    expect(JSON.parse(r.out)).toMatchObject({ odoo_version: '19.0', protocol: 'json2' });
  });
});

describe('doctor on every Odoo version', () => {
  const cases = [
    ['15.0', '15.0-20220805', 'jsonrpc', 'no JSON-2 API', 'a field list'],
    ['16.0', '16.0-20231208', 'jsonrpc', 'no JSON-2 API', 'a field list'],
    ['17.0', '17.0-20240709', 'jsonrpc', 'no JSON-2 API', 'a field specification'],
    ['18.0', '18.0-20250702', 'jsonrpc', 'no JSON-2 API', 'a field specification'],
    ['19.0', '19.0', 'json2', 'JSON-2 API available', 'a field specification'],
  ] as const;
  it.each(cases)(
    '%s: version, protocol and why, and what the version changes',
    async (v, build, protocol, json2, read) => {
      const emu = await startEmulator({ odooVersion: v });
      try {
        const r = await run(['doctor', '--url', emu.url, '--db', emu.database, '--user', 'admin'], {
          ...QUIET,
          ODOO_API_KEY: KEY,
        });
        expect(r.err).toBe('');
        expect(r.code).toBe(EXIT_OK);
        expect(r.out).toContain(`(Odoo ${build})`);
        expect(r.out).toMatch(new RegExp(`Protocol: +${protocol} \\(Odoo ${build.replace('.', '\\.')} `));
        const version = r.out.split('\n').find((l) => l.startsWith('Version:')) ?? '';
        expect(version).toContain(`Odoo ${Number.parseInt(v, 10)}: ${json2}`);
        expect(version).toContain(`web_search_read and ${read}`);
        expect(version).toContain(v === '19.0' ? 'formatted_read_group' : 'groups with read_group');
        expect(version).toContain(
          v === '17.0' ? 'display_name cannot be searched' : 'text queries search display_name',
        );
      } finally {
        await emu.close();
      }
    },
  );
});
