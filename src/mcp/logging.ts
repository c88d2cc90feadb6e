// MCP logging: the `logging` capability, logging/setLevel (2025-11-25) and the per-request
// log level of 2026-07-28 (`_meta`), for lines that help the person at the client: Odoo call
// failures, retries, slow calls, subscription polling trouble. A client that asked for no level
// gets none (the SDK's default would send every level to a 2025 client that never asked).
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import { CLIENT_LOG_LEVELS, type ClientLogLevel } from '../logging/call-scope.js';
import type { Redactor } from '../logging/redact.js';

const LOGGER = 'odoo-mcp-server';
const severity = (level: ClientLogLevel) => CLIENT_LOG_LEVELS.indexOf(level);

/** The level each 2025-era connection or session asked for, by its server instance. */
const levels = new WeakMap<object, ClientLogLevel>();

export function registerLogging(server: McpServer): void {
  server.server.registerCapabilities({ logging: {} });
  server.server.setRequestHandler('logging/setLevel', async (request, ctx) => {
    // A stateless exchange has nothing to remember the level in (its instance serves others next).
    if (ctx.http !== undefined && !ctx.sessionId) return {};
    levels.set(server.server, request.params.level as ClientLogLevel);
    return {};
  });
}

/** Where a request's client log lines go, or undefined when its client asked for none. */
export function requestLog(
  server: McpServer,
  ctx: ServerContext,
  redact?: Redactor,
): ((level: ClientLogLevel, message: string) => void) | undefined {
  const send = (level: ClientLogLevel, message: string) => {
    ctx.mcpReq.log(level, redact ? redact(message) : message, LOGGER).catch(() => undefined);
  };
  // 2026-07-28: the request's own _meta level, which the SDK applies (no level, no lines).
  if (ctx.mcpReq.envelope !== undefined) return send;
  const threshold = levels.get(server.server);
  if (threshold === undefined) return undefined;
  return (level, message) => {
    if (severity(level) >= severity(threshold)) send(level, message);
  };
}

/** A line outside any request (subscription polling), for a 2025 session that asked for logs. */
export function sessionLog(
  server: McpServer,
  level: ClientLogLevel,
  message: string,
  redact?: Redactor,
): void {
  const threshold = levels.get(server.server);
  if (threshold === undefined || severity(level) < severity(threshold)) return;
  server.server
    .notification({
      method: 'notifications/message',
      params: { level, logger: LOGGER, data: redact ? redact(message) : message },
    })
    .catch(() => undefined);
}
