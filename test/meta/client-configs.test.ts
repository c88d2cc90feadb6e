// The client snippets in docs/clients/ (and their copies in docs/clients.md), manifest.json (MCP
// Bundle) and server.json (MCP registry) are what users paste or install without reading the code,
// so each is checked against the real server: stdio entries are started as written (npx mapped to
// this build) and list tools, HTTP entries' headers are sent to a real streamable_http server, and
// names, versions and environment variables are compared with package.json and the config schema.
// The npm package is `odoo-mcp` and its one bin `odoo-mcp-server`: the npm name odoo-mcp-server
// belongs to an unrelated project, so no doc may tell users to npx or install that name.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLIENTS = join(ROOT, 'docs', 'clients');
const CLI = join(ROOT, 'dist', 'cli.js');

type Json = Record<string, unknown>;
const readJson = (path: string): Json => JSON.parse(readFileSync(path, 'utf8')) as Json;
const pkg = readJson(join(ROOT, 'package.json')) as {
  name: string;
  version: string;
  mcpName?: string;
  bin: Record<string, string>;
};
// Every variable the server reads is listed in the generated configuration reference.
const CONFIG_DOC = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
const ODOO_ENV = ['ODOO_URL', 'ODOO_DB', 'ODOO_USERNAME', 'ODOO_API_KEY'];

interface Entry {
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  serverUrl?: string;
  headers?: Record<string, string>;
}

type Kind = 'stdio' | 'http' | 'mcp-remote';
/** Each snippet file: the client's top-level key, how it reaches the server, the URL key it uses. */
const SHAPES: Record<string, { root: 'mcpServers' | 'servers'; kind: Kind; urlKey?: 'url' | 'serverUrl' }> = {
  'claude-desktop.json': { root: 'mcpServers', kind: 'stdio' },
  'claude-code.json': { root: 'mcpServers', kind: 'stdio' },
  'claude-code-http.json': { root: 'mcpServers', kind: 'http', urlKey: 'url' },
  'cursor.json': { root: 'mcpServers', kind: 'stdio' },
  'cursor-http.json': { root: 'mcpServers', kind: 'http', urlKey: 'url' },
  'vscode.json': { root: 'servers', kind: 'stdio' },
  'vscode-http.json': { root: 'servers', kind: 'http', urlKey: 'url' },
  'windsurf.json': { root: 'mcpServers', kind: 'stdio' },
  'windsurf-http.json': { root: 'mcpServers', kind: 'http', urlKey: 'serverUrl' },
  'mcp-remote.json': { root: 'mcpServers', kind: 'mcp-remote' },
};

const snippetFiles = readdirSync(CLIENTS)
  .filter((f) => f.endsWith('.json'))
  .sort();

function entryOf(file: string): Entry {
  const shape = SHAPES[file];
  if (!shape) throw new Error(`no shape check for docs/clients/${file}`);
  const doc = readJson(join(CLIENTS, file));
  const servers = doc[shape.root] as Record<string, Entry>;
  const entry = servers.odoo;
  if (!entry) throw new Error(`docs/clients/${file} has no "odoo" server`);
  return entry;
}

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'client-configs', version: '1' },
  },
};

/** Runs a client's stdio command line as the client would, with --demo, and returns its tool names. */
async function stdioToolNames(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<string[]> {
  let argv: string[];
  if (command === 'npx' && args[0] === '-y' && args[1] === pkg.name) argv = [CLI, ...args.slice(2)];
  else if (command === 'node' && args[0]?.endsWith('/dist/cli.js')) argv = [CLI, ...args.slice(1)];
  else throw new Error(`not this server's command: ${command} ${args.join(' ')}`);
  const child = spawn(process.execPath, [...argv, '--demo'], {
    env: { ...process.env, ...env, ODOO_MCP_LOGGING_LEVEL: 'ERROR' },
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcessWithoutNullStreams;
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.end(
    `${[
      INIT,
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]
      .map((m) => JSON.stringify(m))
      .join('\n')}\n`,
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  const frames = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id?: number; jsonrpc?: string; result?: { tools?: { name: string }[] } });
  for (const f of frames) expect(f.jsonrpc, 'stdout carries only protocol frames').toBe('2.0');
  const tools = frames.find((f) => f.id === 2)?.result?.tools;
  if (!tools) throw new Error(`no tools/list answer; stderr: ${err.slice(0, 500)}`);
  return tools.map((t) => t.name);
}

/** `${name}` as the clients write it (a plain string, not a template). */
const ph = (name: string) => `\${${name}}`;

/** Replaces a client's secret placeholder (${env:X}, ${input:X}, ${X}) with the real token. */
const fill = (value: string, token: string) => value.replace(/\$\{[^}]+\}/g, token);

describe('the npm package name', () => {
  it('is odoo-mcp, whose only bin (what `npx -y odoo-mcp` runs) is odoo-mcp-server', () => {
    expect(pkg.name).toBe('odoo-mcp');
    expect(pkg.bin).toEqual({ 'odoo-mcp-server': 'dist/cli.js' });
  });

  it('no doc or snippet tells users to npx or install the unrelated npm package odoo-mcp-server', () => {
    const docs = join(ROOT, 'docs');
    const files = [
      'README.md',
      'contrib/systemd/odoo-mcp-server.service',
      ...readdirSync(docs)
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
      ...snippetFiles.map((f) => `docs/clients/${f}`),
    ];
    const wrong =
      /-y odoo-mcp-server\b|"-y", "odoo-mcp-server"|(?:install|uninstall) -g odoo-mcp-server\b|odoo-mcp-server-(?:\*|\d)[^ ]*\.tgz/;
    for (const file of files) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      const bad = lines.filter((l) => wrong.test(l));
      expect(bad, file).toEqual([]);
    }
  });
});

describe('docs/clients snippets', () => {
  it('every snippet file has a shape check, and every shape a file', () => {
    expect(snippetFiles).toEqual(Object.keys(SHAPES).sort());
  });

  it('docs/clients.md shows each file, unchanged, and no JSON block without its file', () => {
    const md = readFileSync(join(ROOT, 'docs', 'clients.md'), 'utf8');
    const blocks = [...md.matchAll(/<!-- snippet: docs\/clients\/([^ ]+) -->\n```json\n([\s\S]*?)\n```/g)];
    expect(blocks.map((b) => b[1]).sort()).toEqual(snippetFiles);
    for (const [, file, text] of blocks)
      expect(text, `docs/clients.md's copy of ${file}`).toBe(
        readFileSync(join(CLIENTS, file as string), 'utf8').trimEnd(),
      );
    expect(md.match(/```json/g)?.length).toBe(blocks.length);
  });

  it("the README's marked snippets equal their files", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const blocks = [
      ...readme.matchAll(/<!-- snippet: docs\/clients\/([^ ]+) -->\n```json\n([\s\S]*?)\n```/g),
    ];
    expect(blocks.length).toBeGreaterThan(0);
    for (const [, file, text] of blocks)
      expect(text, `README.md's copy of ${file}`).toBe(
        readFileSync(join(CLIENTS, file as string), 'utf8').trimEnd(),
      );
  });

  for (const file of snippetFiles.filter((f) => SHAPES[f]?.root === 'mcpServers')) {
    it(`${file}: only "mcpServers" at the top level`, () => {
      expect(Object.keys(readJson(join(CLIENTS, file)))).toEqual(['mcpServers']);
    });
  }

  for (const file of snippetFiles.filter((f) => SHAPES[f]?.root === 'servers')) {
    it(`${file}: VS Code's "servers" with a type, and every \${input:...} declared in "inputs"`, () => {
      const doc = readJson(join(CLIENTS, file)) as {
        servers: Record<string, Entry>;
        inputs?: { id: string }[];
      };
      expect(Object.keys(doc).sort()).toEqual(['inputs', 'servers']);
      const entry = entryOf(file);
      expect(entry.type).toBe(SHAPES[file]?.kind === 'stdio' ? 'stdio' : 'http');
      const used = [...JSON.stringify(doc.servers).matchAll(/\$\{input:([^}]+)\}/g)].map((m) => m[1]);
      expect(used.length).toBeGreaterThan(0);
      const declared = (doc.inputs ?? []).map((i) => i.id);
      for (const id of used) expect(declared).toContain(id);
      for (const input of doc.inputs ?? [])
        expect(input).toMatchObject({ type: 'promptString', password: true });
    });
  }

  for (const file of snippetFiles.filter((f) => SHAPES[f]?.kind === 'stdio')) {
    it(`${file}: npx -y ${pkg.name} with the Odoo connection in env, and it lists tools (--demo)`, async () => {
      const entry = entryOf(file);
      if (entry.type !== undefined) expect(entry.type).toBe('stdio');
      expect(entry.command).toBe('npx');
      expect(entry.args).toEqual(['-y', pkg.name]);
      expect(Object.keys(entry.env ?? {}).sort()).toEqual([...ODOO_ENV].sort());
      for (const name of Object.keys(entry.env ?? {})) expect(CONFIG_DOC).toContain(`\`${name}\``);
      const names = await stdioToolNames(entry.command ?? '', entry.args ?? [], entry.env ?? {});
      expect(names).toContain('search_records');
    });
  }

  describe('HTTP snippets against a real streamable_http server', () => {
    const token = randomBytes(24).toString('hex');
    let server: ChildProcessWithoutNullStreams;
    let mcpUrl = '';

    beforeAll(async () => {
      server = spawn(process.execPath, [CLI, 'streamable_http', '--demo', '--port', '0'], {
        env: { ...process.env, ODOO_MCP_HTTP_TOKEN: token, ODOO_MCP_LOGGING_LEVEL: 'ERROR' },
        stdio: ['pipe', 'pipe', 'pipe'],
      }) as ChildProcessWithoutNullStreams;
      mcpUrl = await new Promise<string>((resolve, reject) => {
        let err = '';
        const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 15_000);
        server.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          const url = err.match(/listening on (http:\/\/\S+\/mcp)/)?.[1];
          if (url) {
            clearTimeout(timer);
            resolve(url);
          }
        });
      });
    });

    afterAll(async () => {
      const closed = new Promise((resolve) => server.on('close', resolve));
      server.kill('SIGTERM');
      await closed;
    });

    const toolsList = (authorization?: string) =>
      fetch(mcpUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });

    it('a request without the header gets 401', async () => {
      expect((await toolsList()).status).toBe(401);
    });

    for (const file of snippetFiles.filter((f) => SHAPES[f]?.kind === 'http')) {
      it(`${file}: the URL and Authorization header it sends are accepted`, async () => {
        const entry = entryOf(file);
        const urlKey = SHAPES[file]?.urlKey ?? 'url';
        const other = urlKey === 'url' ? 'serverUrl' : 'url';
        expect(entry[other]).toBeUndefined();
        expect(entry[urlKey]).toBe('http://localhost:8080/mcp');
        expect(entry.command).toBeUndefined();
        expect(Object.keys(entry.headers ?? {})).toEqual(['Authorization']);
        const value = entry.headers?.Authorization ?? '';
        expect(value).toMatch(/^Bearer \$\{[^}]+\}$/);
        const res = await toolsList(fill(value, token));
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('search_records');
      });
    }

    it('mcp-remote.json: npx -y mcp-remote URL, the Authorization header from env', async () => {
      const entry = entryOf('mcp-remote.json');
      expect(entry.command).toBe('npx');
      const args = entry.args ?? [];
      expect(args.slice(0, 3)).toEqual(['-y', 'mcp-remote', 'http://localhost:8080/mcp']);
      const header = args[args.indexOf('--header') + 1] ?? '';
      // No space after the colon: some clients split arguments with spaces when they run npx.
      expect(header).toBe(`Authorization:${ph('AUTH_HEADER')}`);
      const authHeader = entry.env?.AUTH_HEADER ?? '';
      expect(authHeader).toMatch(/^Bearer \S+$/);
      const res = await toolsList(`Bearer ${token}`);
      expect(res.status).toBe(200);
    });
  });
});

describe('manifest.json (MCP Bundle)', () => {
  const manifest = readJson(join(ROOT, 'manifest.json')) as {
    manifest_version: string;
    name: string;
    version: string;
    description: string;
    author: { name: string };
    server: {
      type: string;
      entry_point: string;
      mcp_config: { command: string; args: string[]; env: Record<string, string> };
    };
    user_config: Record<
      string,
      {
        type: string;
        title: string;
        description: string;
        required?: boolean;
        sensitive?: boolean;
        default?: unknown;
      }
    >;
  };

  it('names this package at its version and runs dist/cli.js with node', () => {
    expect(manifest.manifest_version).toMatch(/^0\.\d+$/);
    expect(manifest.name).toBe(pkg.name);
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.description.length).toBeGreaterThan(0);
    expect(manifest.author.name.length).toBeGreaterThan(0);
    expect(manifest.server.type).toBe('node');
    expect(manifest.server.entry_point).toBe('dist/cli.js');
    expect(existsSync(join(ROOT, manifest.server.entry_point))).toBe(true);
    expect(manifest.server.mcp_config.command).toBe('node');
    expect(manifest.server.mcp_config.args).toEqual([`${ph('__dirname')}/dist/cli.js`]);
  });

  it('maps every user_config key into env, and nothing else', () => {
    const env = manifest.server.mcp_config.env;
    const used = Object.values(env).map((v) => v.match(/^\$\{user_config\.([a-z_]+)\}$/)?.[1]);
    expect(used).not.toContain(undefined);
    expect(used.sort()).toEqual(Object.keys(manifest.user_config).sort());
    for (const name of Object.keys(env)) expect(CONFIG_DOC).toContain(`\`${name}\``);
    for (const name of ODOO_ENV) expect(Object.keys(env)).toContain(name);
  });

  it('marks the API key sensitive, and only it', () => {
    const sensitive = Object.entries(manifest.user_config)
      .filter(([, v]) => v.sensitive === true)
      .map(([k]) => k);
    expect(sensitive).toEqual(['api_key']);
    expect(manifest.server.mcp_config.env.ODOO_API_KEY).toBe(ph('user_config.api_key'));
    for (const [key, option] of Object.entries(manifest.user_config)) {
      expect(['string', 'number', 'boolean', 'directory', 'file'], key).toContain(option.type);
      expect(option.title.length, key).toBeGreaterThan(0);
      expect(option.description.length, key).toBeGreaterThan(0);
      if (option.required !== true)
        expect(option.default, `${key} is optional: it needs a default`).toBeDefined();
    }
  });

  it('starts as Claude Desktop would run it (placeholders filled in) and lists tools (--demo)', async () => {
    const values: Record<string, string> = {
      odoo_url: 'https://mycompany.odoo.com',
      database: 'mycompany',
      username: 'me@mycompany.com',
      api_key: 'placeholder',
    };
    const env = Object.fromEntries(
      Object.entries(manifest.server.mcp_config.env).map(([k, v]) => {
        const key = v.slice('${user_config.'.length, -1);
        return [k, values[key] ?? String(manifest.user_config[key]?.default)];
      }),
    );
    const args = manifest.server.mcp_config.args.map((a) => a.replace(ph('__dirname'), ROOT));
    expect(await stdioToolNames('node', args, env)).toContain('create_records');
  });
});

describe('server.json (MCP registry)', () => {
  const server = readJson(join(ROOT, 'server.json')) as {
    $schema: string;
    name: string;
    description: string;
    version: string;
    packages: {
      registryType: string;
      identifier: string;
      version: string;
      transport: { type: string };
      environmentVariables: {
        name: string;
        isRequired?: boolean;
        isSecret?: boolean;
        description?: string;
      }[];
    }[];
  };

  it('uses a dated registry schema and the name package.json declares as mcpName', () => {
    expect(server.$schema).toMatch(
      /^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/,
    );
    expect(server.name).toMatch(/^io\.github\.[a-zA-Z0-9-]+\/[a-zA-Z0-9._-]+$/);
    expect(pkg.mcpName).toBe(server.name);
    expect(server.description.length).toBeGreaterThan(0);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.version).toBe(pkg.version);
  });

  it('points at this npm package over stdio, with the Odoo variables and the key as a secret', () => {
    expect(server.packages).toHaveLength(1);
    const [p] = server.packages;
    expect(p).toMatchObject({
      registryType: 'npm',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
    const vars = p?.environmentVariables ?? [];
    for (const name of ODOO_ENV) expect(vars.map((v) => v.name)).toContain(name);
    for (const v of vars) {
      expect(CONFIG_DOC, v.name).toContain(`\`${v.name}\``);
      expect(v.description?.length, v.name).toBeGreaterThan(0);
    }
    expect(vars.filter((v) => v.isSecret).map((v) => v.name)).toEqual(['ODOO_API_KEY']);
  });
});
