// MCP over stdio: the SDK picks the spec era from the client's first message (server/discover for
// 2026-07-28, initialize for 2025-11-25) and pins one server instance for the connection.
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../logging/logger.js';
import { createServer, type ServerDeps } from './server.js';

export function serveOverStdio(deps: ServerDeps, logger?: Logger): { close(): Promise<void> } {
  return serveStdio(() => createServer(deps), {
    onerror: (error) => logger?.error({ err: error }, 'MCP stdio transport error'),
  });
}
