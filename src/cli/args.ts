// argv in the reference's shape: `odoo-mcp-server [command|transport] [config.json] [flags]`.
import { parseArgs } from 'node:util';

export const COMMANDS = ['serve', 'doctor', 'emulator', 'read'] as const;
export const TRANSPORTS = ['stdio', 'streamable_http', 'http'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  command: Command;
  transport?: (typeof TRANSPORTS)[number];
  configFile?: string;
  /** Positional operand of `read` (a resource URI). */
  target?: string;
  overrides: Record<string, unknown>;
  demo: boolean;
  help: boolean;
  version: boolean;
  odooVersion?: string;
  port?: number;
}

export class UsageError extends Error {}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  url: { type: 'string' },
  database: { type: 'string' },
  db: { type: 'string' },
  username: { type: 'string' },
  user: { type: 'string' },
  'api-key': { type: 'string' },
  password: { type: 'string' },
  protocol: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'log-level': { type: 'string' },
  timeout: { type: 'string' },
  'pool-size': { type: 'string' },
  'allow-unauthenticated-remote': { type: 'boolean' },
  demo: { type: 'boolean' },
  'odoo-version': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function num(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${flag} expects a number, got "${raw}"`);
  return n;
}

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. Run odoo-mcp-server --help for the options.`);
  }
  const { values: v, positionals } = parsed;
  const rest = [...positionals];
  let command: Command = 'serve';
  let transport: ParsedArgs['transport'];
  const first = rest[0];
  if (first && (COMMANDS as readonly string[]).includes(first)) {
    command = first as Command;
    rest.shift();
  } else if (first && (TRANSPORTS as readonly string[]).includes(first)) {
    transport = first as ParsedArgs['transport'];
    rest.shift();
  } else if (first && !first.endsWith('.json')) {
    throw new UsageError(
      `unknown command or transport "${first}"; use one of ${[...TRANSPORTS, ...COMMANDS.filter((c) => c !== 'serve')].join(', ')}, or a path to a .json config file`,
    );
  }
  let target: string | undefined;
  if (command === 'read') {
    target = rest.shift();
    if (!target)
      throw new UsageError('read needs a resource URI, e.g. odoo-mcp-server read odoo://res.partner/1');
  }
  const configFile = v.config ?? rest.shift();
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);

  const overrides: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) overrides[key] = value;
  };
  set('odoo_url', v.url);
  set('database', v.database ?? v.db);
  set('username', v.username ?? v.user);
  set('api_key', v['api-key']);
  set('password', v.password);
  set('protocol', v.protocol);
  set('timeout', num('timeout', v.timeout));
  set('pool_size', num('pool-size', v['pool-size']));
  if (transport) set('connection_type', transport);
  const port = num('port', v.port);
  const http: Record<string, unknown> = {};
  if (v.host !== undefined) http.host = v.host;
  if (port !== undefined && command !== 'emulator') http.port = port;
  if (v['allow-unauthenticated-remote']) http.allow_unauthenticated_remote = true;
  if (Object.keys(http).length > 0) overrides.http = http;
  if (v['log-level']) overrides.logging = { level: v['log-level'] };

  return {
    command,
    transport,
    configFile,
    target,
    overrides,
    demo: v.demo ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
    odooVersion: v['odoo-version'],
    port,
  };
}

export const HELP = `odoo-mcp-server: an MCP server for Odoo (XML-RPC, JSON-RPC and JSON-2)

Usage:
  odoo-mcp-server [stdio|streamable_http|http] [config.json] [options]   serve MCP
  odoo-mcp-server --demo                                                  serve MCP on the built-in demo backend
  odoo-mcp-server doctor [config.json] [options]                          check the connection to Odoo
  odoo-mcp-server emulator [--port 8069] [--odoo-version 19.0]            run the Odoo emulator alone

Options (override the config file and the environment):
  -c, --config FILE        config file (default: $ODOO_MCP_CONFIG, ./odoo-mcp.json, ./odoo_mcp/config/config.json)
  --url URL                Odoo base URL (odoo_url, ODOO_URL)
  --db, --database NAME    database (database, ODOO_DB)
  --user, --username LOGIN Odoo login (username, ODOO_USERNAME)
  --api-key KEY            API key (api_key, ODOO_API_KEY); prefer the environment, argv is visible to other users
  --password PASSWORD      password (password, ODOO_PASSWORD)
  --protocol P             auto | xmlrpc | jsonrpc | json2 (protocol, ODOO_PROTOCOL)
  --host HOST, --port N    HTTP transports' address (http.host, http.port); loopback by default
  --allow-unauthenticated-remote
                           serve a non-loopback address without client auth (a proxy must authenticate)
  --timeout SECONDS        per-request timeout to Odoo (timeout)
  --pool-size N            concurrent requests to Odoo (pool_size)
  --log-level LEVEL        DEBUG | INFO | WARNING | ERROR | CRITICAL (logging.level)
  --demo                   use a fresh in-process Odoo emulator as the backend
  --odoo-version V         emulator profile: 15.0 | 16.0 | 17.0 | 18.0 | 19.0 (default 19.0)
  -h, --help               this help
  -v, --version            the version

Every setting is documented in docs/configuration.md.
`;
