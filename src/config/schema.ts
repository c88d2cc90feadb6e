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
          // Their length is checked at start (http/auth.ts checkTokenStrength), with those of
          // ODOO_MCP_HTTP_TOKEN, since the minimum depends on the address bound.
          .array(z.string())
          .default([])
          .describe(
            'Bearer tokens HTTP clients must send (`Authorization: Bearer ...`). `ODOO_MCP_HTTP_TOKEN` adds more, comma-separated. Empty: no token needed. Each, from either source, needs 16 characters on loopback and 32 on any other address (`openssl rand -hex 32` makes one).',
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
        headers_timeout_seconds: z
          .number()
          .positive()
          .default(15)
          .describe(
            'Longest time a client may take to send the request line and headers; a slower connection gets 408 and is closed. At most `body_timeout_seconds`.',
          ),
        body_timeout_seconds: z
          .number()
          .positive()
          .default(30)
          .describe(
            'Longest time a client may take to send a whole request, headers and body; a body that trickles in slower gets 408 and the connection is closed. Streams the server sends (GET /mcp, GET /sse) are not cut.',
          ),
        max_sessions: z
          .number()
          .int()
          .min(1)
          .default(1000)
          .describe(
            'Most MCP sessions (2025-era streamable HTTP and legacy SSE) open at once. When all are taken, a new one evicts the least recently used session of the client holding the most, so clients under their own cap can always open one.',
          ),
        max_sessions_per_client: z
          .number()
          .int()
          .min(1)
          .default(50)
          .describe(
            "Most sessions one client holds (a client: its bearer token, its Odoo login once Odoo accepted it in per-user mode, else its IP address or IPv6 /64); one more evicts that client's own least recently used session, idle ones first.",
          ),
        trusted_proxies: z
          .array(z.string().min(1))
          .default([])
          .describe(
            'IP addresses of reverse proxies in front of the server: for requests from them, the client address used for the rate limit and session caps is taken from X-Forwarded-For. Empty: the socket peer is the client.',
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
    audit: z
      .object({
        file: z
          .string()
          .min(1)
          .optional()
          .describe(
            'Append a JSON line per write tool call to this file: its intent before Odoo is asked, its outcome (applied, failed, unknown) after, with time, caller, tool, model, method and ids. Off when unset.',
          ),
        values: z
          .boolean()
          .default(false)
          .describe(
            'Also record the field values and method arguments of each write. Off by default: they may hold secrets or personal data.',
          ),
      })
      .prefault({})
      .describe('The audit log of writes (create, update, delete, call_method).'),
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
            'If set, call_method only runs these "model.method" patterns, e.g. ["sale.order.action_confirm"]. A pattern splits at its last dot into a model glob and a method glob, matched separately: in the method part * never spans a dot; in the model part * spans dots as in models.allow. So "sale.order.*" is every method of sale.order but nothing of sale.order.line, and "sale.*.action_confirm" is action_confirm on every model under sale.',
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
        max_ids: z
          .number()
          .int()
          .min(1)
          .default(10_000)
          .describe(
            'Most record ids one read_records, update_records or delete_records call may name; more are refused before Odoo is called.',
          ),
        max_create_records: z
          .number()
          .int()
          .min(1)
          .default(1000)
          .describe('Most records one create_records call may create.'),
        max_value_fields: z
          .number()
          .int()
          .min(1)
          .default(1000)
          .describe('Most field names in one record of values (create_records, update_records).'),
        max_domain_terms: z
          .number()
          .int()
          .min(1)
          .default(1000)
          .describe(
            'Most conditions and operators ("&", "|", "!") in one domain, sub-domains of `any` included.',
          ),
        max_fields: z
          .number()
          .int()
          .min(1)
          .default(1000)
          .describe('Most names in a `fields` list, and in group_by plus aggregates.'),
        max_depth: z
          .number()
          .int()
          .min(4)
          .max(100)
          .default(32)
          .describe(
            'Deepest nesting of lists and objects in a domain, in field values or in a context (a flat domain is 2 levels deep).',
          ),
      })
      .prefault({})
      .describe('Result size limits that keep answers small.'),
    tools: z
      .object({
        output_schemas: z
          .boolean()
          .default(false)
          .describe(
            "List each tool's output schema in tools/list, for clients that generate typed code from it (about 1.3 KB more in every conversation that lists the tools). Results carry structuredContent, checked against the schema, either way.",
          ),
      })
      .prefault({})
      .describe('How tools are listed.'),
    resources: z
      .object({
        list_models: z
          .array(z.string().min(1))
          .default(['res.partner', 'product.product', 'sale.order', 'crm.lead', 'account.move'])
          .describe('Models whose list resource (odoo://MODEL/list) resources/list announces.'),
      })
      .prefault({})
      .describe('What resources/list announces.'),
    state: z
      .object({
        redis_url: z
          .string()
          .regex(/^rediss?:\/\//, 'use redis://HOST:PORT or rediss://HOST:PORT')
          .optional()
          .describe(
            'Redis that replicas of this server share their state in (rate-limit budgets; see docs/replicas.md), e.g. redis://redis:6379/0; a password goes in the URL (redis://:PASSWORD@host:6379) and is never logged. Unset: all state stays in this process.',
          ),
        key_prefix: z
          .string()
          .min(1)
          .default('odoo-mcp:')
          .describe('Prefix of every key this server writes to Redis, so deployments can share one Redis.'),
      })
      .prefault({})
      .describe('Shared state for several replicas behind a load balancer.'),
    subscriptions: z
      .object({
        poll_seconds: z
          .number()
          .min(0.1)
          .max(3600)
          .default(5)
          .describe(
            'How often subscribed resources are checked for changes: one search_read of write_date per model and Odoo user for all its record subscriptions, one more per list, none while nothing is subscribed. A change reaches the client within about one interval.',
          ),
        max_per_session: z
          .number()
          .int()
          .min(0)
          .default(100)
          .describe(
            'Most resource URIs one session (or one subscriptions/listen stream) may watch; 0 turns subscriptions off.',
          ),
        max_streams_per_client: z
          .number()
          .int()
          .min(1)
          .default(10)
          .describe(
            'Most subscriptions/listen streams (protocol 2026-07-28) one client (its token, verified Odoo login, else its address) holds open at once on one server process; one more is refused until it closes one.',
          ),
      })
      .prefault({})
      .describe('Resource subscriptions (notifications/resources/updated), found by polling Odoo.'),
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
export const SECRET_KEYS = new Set(['api_key', 'password', 'auth_tokens', 'redis_url']);

/** Top-level keys of the reference's file that we accept and ignore (or fold into ours). */
export const IGNORED_KEYS = new Set(['mcpServers']);
export const ALIAS_KEYS: Record<string, string> = { transport_type: 'connection_type' };
