// `odoo-mcp-server streamable_http|http`: checks the settings, builds the Odoo client and the
// services (none shared in per-user mode), serves HTTP until SIGINT/SIGTERM, then shuts down.
import { ConfigError, howToSet, requireOdooSettings } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { resolveAuthTokens, WeakTokenError } from '../http/auth.js';
import { createHttpServer, InsecureBindError, MCP_PATH, SSE_PATH } from '../http/server.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import { createServices } from '../mcp/server.js';
import { OdooClient } from '../odoo/client.js';
import type * as SharedStateModule from '../services/shared-state.js';
import type { SharedState } from '../services/shared-state.js';

export interface HttpRunIO {
  env: Record<string, string | undefined>;
  err(line: string): void;
  untilSignal(): Promise<void>;
}

export async function runHttp(
  config: Config,
  io: HttpRunIO,
  ctx: { logger: Logger; redact: Redactor; version: string; demo: boolean },
): Promise<number> {
  const mode = config.connection_type === 'http' ? 'http' : 'streamable_http';
  const perUser = config.http.per_user_odoo;
  if (perUser) {
    if (!config.odoo_url) {
      throw new ConfigError([
        `config: odoo_url is missing; set ${howToSet('odoo_url')} (or run with --demo).`,
      ]);
    }
    if (config.api_key || config.password) {
      ctx.logger.warn(
        'http.per_user_odoo is on: the configured Odoo credential is ignored; each client sends its own',
      );
    }
  } else {
    requireOdooSettings(config);
  }
  const authTokens = resolveAuthTokens(config.http.auth_tokens, io.env.ODOO_MCP_HTTP_TOKEN);
  for (const t of authTokens) ctx.redact.add(t);

  let state: SharedState | undefined;
  // Loaded only when Redis is configured (it pulls in the Redis client).
  let sharedModule: typeof SharedStateModule | undefined;
  const redisUrl = config.state.redis_url;
  if (redisUrl) {
    const password = (() => {
      try {
        return decodeURIComponent(new URL(redisUrl).password);
      } catch {
        return '';
      }
    })();
    if (password) ctx.redact.add(password);
    sharedModule = await import('../services/shared-state.js');
    const { connectSharedState, describeRedisUrl } = sharedModule;
    try {
      state = await connectSharedState(redisUrl, config.state.key_prefix, ctx.logger);
    } catch (err) {
      ctx.logger.debug({ err: (err as Error).cause ?? err }, 'Redis connection failed');
      io.err(
        `odoo-mcp-server: cannot reach Redis at ${describeRedisUrl(redisUrl)} (state.redis_url); start it, or unset state.redis_url to keep state in this process.`,
      );
      return 1;
    }
  }
  const clientConfig: Config = perUser
    ? { ...config, username: undefined, api_key: undefined, password: undefined }
    : config;
  // Replicas share the field metadata they fetch (per Odoo user), with cache.ttl and cache.max_size.
  const sharedMeta =
    state && sharedModule
      ? new sharedModule.SharedMetaCache(state, config.cache.ttl * 1000, config.cache.max_size)
      : undefined;
  const odoo = OdooClient.fromConfig(clientConfig, ctx.logger, sharedMeta);
  const services = perUser
    ? undefined
    : createServices(odoo, config, {
        logger: ctx.logger,
        redact: ctx.redact,
        version: ctx.version,
        // One poller per model, list set and field set for all replicas.
        sharedPolling: state && sharedModule ? new sharedModule.SharedPollingRedis(state) : undefined,
      });
  let server: ReturnType<typeof createHttpServer>;
  try {
    server = createHttpServer({
      state,
      config,
      mode,
      odoo,
      services,
      authTokens,
      logger: ctx.logger,
      redact: ctx.redact,
      version: ctx.version,
    });
  } catch (err) {
    await odoo.close();
    await state?.close();
    // Refusals of an unsafe setup (no client auth, or guessable tokens, on a reachable address).
    if (err instanceof InsecureBindError || err instanceof WeakTokenError) {
      io.err(`odoo-mcp-server: ${err.message}`);
      return 2;
    }
    throw err;
  }
  let url: string;
  try {
    ({ url } = await server.listen());
  } catch (err) {
    await odoo.close();
    await state?.close();
    const code = (err as NodeJS.ErrnoException).code;
    io.err(
      `odoo-mcp-server: cannot listen on ${config.http.host}:${config.http.port} (${code ?? (err as Error).message}); ${code === 'EADDRINUSE' ? 'another process uses that port: pick another with --port' : 'check http.host and http.port'}.`,
    );
    return 1;
  }
  const extras = `, legacy SSE on ${url}${SSE_PATH}`;
  io.err(
    `odoo-mcp-server (${mode}) listening on ${url}${MCP_PATH}${extras}; health on ${url}/health. Ctrl+C stops it.`,
  );
  ctx.logger.info(
    { url: `${url}${MCP_PATH}`, mode, demo: ctx.demo, per_user_odoo: perUser },
    'Serving MCP over HTTP',
  );
  // Listening: the HTTP client loads now rather than in the first tool call's time.
  setImmediate(() => odoo.prepare());
  await io.untilSignal();
  io.err('odoo-mcp-server: shutting down (finishing in-flight requests)...');
  await server.close();
  await odoo.close();
  await state?.close();
  return 0;
}
