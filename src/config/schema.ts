// The one source of configuration defaults, validation and documentation (docs/configuration.md is
// generated from the descriptions here). Key names follow the reference project's JSON file so an
// existing config.json keeps working.
import { z } from 'zod';

/** Models that hold credentials or run code: denied unless the operator removes them. */
export const DEFAULT_DENIED_MODELS = [
  'res.users.apikeys',
  'res.users.apikeys.*',
  'res.users.identitycheck',
  'auth_totp.device',
  'ir.config_parameter',
  'ir.mail_server',
  'fetchmail.server',
  'payment.provider',
  'iap.account',
  // Server actions run Python code: writing one is code execution on the Odoo server.
  'ir.actions.server',
] as const;

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// Python's logging also knows WARN and FATAL; accept any case.
const logLevel = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const up = v.toUpperCase();
  return up === 'WARN' ? 'WARNING' : up === 'FATAL' ? 'CRITICAL' : up;
}, z.enum(LOG_LEVELS));

const handlerSchema = z
  .object({
    type: z
      .enum(['StreamHandler', 'FileHandler'])
      .describe('StreamHandler writes to stderr (never stdout); FileHandler appends to `filename`.'),
    level: logLevel.optional().describe('Lowest level this handler writes; defaults to `logging.level`.'),
    filename: z.string().min(1).optional().describe('Log file path, required for FileHandler.'),
    format: z.string().optional().describe('Overrides `logging.format` for this handler.'),
  })
  .refine((h) => h.type !== 'FileHandler' || h.filename !== undefined, {
    message: 'a FileHandler needs a "filename"',
    path: ['filename'],
  });

export const configSchema = z
  .object({
    odoo_url: z
      .string()
      .url()
      .optional()
      .describe('Base URL of the Odoo server, e.g. https://mycompany.odoo.com or http://localhost:8069.'),
    database: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Odoo database name. Needed for XML-RPC/JSON-RPC; optional for JSON-2 on single-database servers.',
      ),
    username: z.string().min(1).optional().describe('Odoo login of the user the server acts as.'),
    api_key: z
      .string()
      .min(1)
      .optional()
      .describe(
        'API key of that user (Preferences > Account Security > New API Key). Preferred over a password.',
      ),
    password: z
      .string()
      .min(1)
      .optional()
      .describe('Password of that user, when no API key is set. JSON-2 (Odoo 19+) needs an API key.'),
    protocol: z
      .enum(['auto', 'xmlrpc', 'jsonrpc', 'json2'])
      .default('auto')
      .describe(
        'How to talk to Odoo. `auto` probes the server: JSON-2 on Odoo 19+ with an API key, JSON-RPC otherwise.',
      ),
    connection_type: z
      .enum(['stdio', 'streamable_http', 'http'])
      .default('stdio')
      .describe(
        'MCP transport: `stdio` for desktop clients, `streamable_http` (POST /mcp with streaming), `http` (plain JSON).',
      ),
    requests_per_minute: z
      .number()
      .int()
      .min(0)
      .default(120)
      .describe('Rate limit per MCP client; 0 disables it.'),
    rate_limit_max_wait_seconds: z
      .number()
      .min(0)
      .default(5)
      .describe('How long a request over the rate limit waits for a slot before it fails.'),
    pool_size: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(5)
      .describe('Most requests in flight to Odoo at once; more wait in a queue.'),
    timeout: z.number().positive().default(30).describe('Timeout of one request to Odoo, in seconds.'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe(
        'Retries of read-only calls after a connection error or HTTP 502/503/504, with backoff. Writes are never retried.',
      ),
    session_timeout_minutes: z
      .number()
      .positive()
      .default(60)
      .describe(
        'How long an Odoo login (uid) is trusted before it is checked again; also the idle MCP session timeout.',
      ),
    http: z
      .object({
        host: z
          .string()
          .min(1)
          .default('127.0.0.1')
          .describe('Address the HTTP transports bind to. Loopback by default.'),
        port: z.number().int().min(0).max(65535).default(8080).describe('Port of the HTTP transports.'),
        streamable: z
          .boolean()
          .default(true)
          .describe(
            'Whether POST /mcp may answer with an SSE stream (progress, streamed results) instead of JSON.',
          ),
        auth_tokens: z
          .array(z.string().min(16, 'use a bearer token of at least 16 characters'))
          .default([])
          .describe(
            'Bearer tokens HTTP clients must send (`Authorization: Bearer ...`). `ODOO_MCP_HTTP_TOKEN` adds more, comma-separated. Empty: no token needed.',
          ),
        oauth: z
          .object({
            issuer: z
              .string()
              .url()
              .describe('The authorization server: the `iss` every access token must carry.'),
            audience: z
              .string()
              .min(1)
              .describe("The `aud` access tokens must carry, usually the public URL of this server's /mcp."),
            jwks_url: z
              .string()
              .url()
              .optional()
              .describe(
                "URL of the issuer's JSON Web Key Set; found through the issuer's metadata when unset.",
              ),
            required_scopes: z
              .array(z.string().min(1))
              .default([])
              .describe(
                'Scopes every access token must hold; a token without one gets 403 insufficient_scope.',
              ),
            resource: z
              .string()
              .url()
              .optional()
              .describe(
                "The resource identifier announced at /.well-known/oauth-protected-resource; defaults to this server's /mcp URL.",
              ),
          })
          .optional()
          .describe(
            'Validate OAuth 2.1 JWT access tokens from this authorization server (RFC 9728 metadata is served).',
          ),
        allow_unauthenticated_remote: z
          .boolean()
          .default(false)
          .describe(
            'Allow binding a non-loopback address without client authentication (anyone who reaches the port acts with the configured Odoo user). Flag: --allow-unauthenticated-remote.',
          ),
        per_user_odoo: z
          .boolean()
          .default(false)
          .describe(
            'Each HTTP client sends its own Odoo credentials (X-Odoo-Login, X-Odoo-Api-Key, optional X-Odoo-Database) and every call runs as that user; no shared credential is needed.',
          ),
        allowed_hosts: z
          .array(z.string().min(1))
          .default([])
          .describe(
            'Host header names accepted (DNS rebinding protection) when bound to a non-loopback address; loopback names are always accepted.',
          ),
        cors_origins: z
          .array(z.string().min(1))
          .default([])
          .describe(
            'Browser origins allowed to call the server (e.g. "https://app.example.com"); "*" allows any. Other Origins get 403. Loopback origins are allowed when bound to loopback.',
          ),
        max_body_bytes: z
          .number()
          .int()
          .min(1024)
          .default(1_048_576)
          .describe('Largest request body accepted; larger ones get HTTP 413.'),
        request_timeout_seconds: z
          .number()
          .positive()
          .default(120)
          .describe(
            'Longest time one MCP request may take before it is cancelled (streams of GET /mcp and /sse excepted).',
          ),
        shutdown_grace_seconds: z
          .number()
          .min(0)
          .default(10)
          .describe(
            'On SIGINT/SIGTERM, how long in-flight requests may take to finish before connections are closed.',
          ),
      })
      .prefault({})
      .describe('HTTP transport settings.'),
    stdio: z
      .object({
        max_line_bytes: z
          .number()
          .int()
          .min(1024)
          .default(4_194_304)
          .describe(
            'Longest message line read on stdin; a longer line is skipped (not buffered) and answered with -32600, and the connection goes on.',
          ),
      })
      .prefault({})
      .describe('The stdio transport.'),
    logging: z
      .object({
        level: logLevel
          .default('INFO')
          .describe('Lowest level logged: DEBUG, INFO, WARNING, ERROR or CRITICAL.'),
        format: z
          .string()
          .optional()
          .describe(
            'Python-style line format with %(asctime)s, %(name)s, %(levelname)s, %(message)s. Without it, JSON lines.',
          ),
        handlers: z
          .array(handlerSchema)
          .default([{ type: 'StreamHandler' }])
          .describe('Where logs go. Nothing is ever written to stdout.'),
      })
      .prefault({})
      .describe('Logging settings.'),
    read_only: z
      .boolean()
      .default(false)
      .describe('Hide every tool that can change data; only read-only tools are listed and callable.'),
    models: z
      .object({
        allow: z
          .array(z.string().min(1))
          .default([])
          .describe(
            'Glob patterns of the models the server may touch (e.g. "res.*", "sale.order"); empty means all.',
          ),
        deny: z
          .array(z.string().min(1))
          .default([...DEFAULT_DENIED_MODELS])
          .describe(
            'Glob patterns of models that are never touched, even when allowed. The default hides secret-bearing models.',
          ),
      })
      .prefault({})
      .describe('Which Odoo models tools, resources and completions may use.'),
    call_method: z
      .object({
        allow: z
          .array(z.string().regex(/^[\w.*?]+\.[\w*?]+$/, 'use "model.method" patterns'))
          .optional()
          .describe(
            'If set, call_method only runs these "model.method" patterns (globs allowed), e.g. ["sale.order.action_confirm"].',
          ),
      })
      .prefault({})
      .describe('Limits on call_method. Private methods (leading underscore) are always refused.'),
    limits: z
      .object({
        default_limit: z
          .number()
          .int()
          .min(1)
          .default(20)
          .describe('Records returned by search_records when no limit is given.'),
        max_limit: z
          .number()
          .int()
          .min(1)
          .default(500)
          .describe('The largest limit a tool call may ask for.'),
        max_text_length: z
          .number()
          .int()
          .min(50)
          .default(2000)
          .describe('Longer text values are cut in tool results, with a note saying so.'),
      })
      .prefault({})
      .describe('Result size limits that keep answers small.'),
    resources: z
      .object({
        list_models: z
          .array(z.string().min(1))
          .default(['res.partner', 'product.product', 'sale.order', 'crm.lead', 'account.move'])
          .describe('Models whose list resource (odoo://MODEL/list) resources/list announces.'),
      })
      .prefault({})
      .describe('What resources/list announces.'),
    cache: z
      .object({
        enabled: z.boolean().default(true).describe('Cache Odoo metadata (fields_get, model list).'),
        ttl: z.number().min(0).default(300).describe('Seconds a cached entry stays valid.'),
        max_size: z.number().int().min(1).default(1000).describe('Most entries kept.'),
      })
      .prefault({})
      .describe('Metadata cache settings.'),
  })
  .describe('odoo-mcp-server configuration');

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Keys whose values never appear in logs, errors or diagnostics. */
export const SECRET_KEYS = new Set(['api_key', 'password', 'auth_tokens']);

/** Top-level keys of the reference's file that we accept and ignore (or fold into ours). */
export const IGNORED_KEYS = new Set(['mcpServers']);
export const ALIAS_KEYS: Record<string, string> = { transport_type: 'connection_type' };
