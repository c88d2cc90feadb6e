// argv -> config -> logger -> command. Returns the exit code; only src/cli.ts exits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, requireOdooSettings } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createLogger } from '../logging/logger.js';
import { createServices } from '../mcp/server.js';
import { serveOverStdio } from '../mcp/stdio.js';
import { OdooClient } from '../odoo/client.js';
import { packageRoot } from '../util/package-root.js';
import { HELP, type ParsedArgs, parseCliArgs, UsageError } from './args.js';
import type { Output } from './doctor.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface MainIO extends Output {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when the process should stop (SIGINT/SIGTERM) for long-running commands. */
  untilSignal(): Promise<void>;
  /** Standard input is a terminal (a person, not an MCP client). */
  stdinIsTTY?: boolean;
  /** The process's standard streams, for the stdio transport. */
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Credentials of the emulator's seeded admin (the corpus placeholders), for --demo. */
export const DEMO_CREDENTIALS = {
  username: 'admin',
  api_key: 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000',
} as const;

const EMULATOR_VERSIONS = ['15.0', '16.0', '17.0', '18.0', '19.0'] as const;
type EmulatorVersion = (typeof EMULATOR_VERSIONS)[number];
function emulatorVersion(v: string | undefined): EmulatorVersion {
  const version = v ?? '19.0';
  if (!(EMULATOR_VERSIONS as readonly string[]).includes(version)) {
    throw new UsageError(`--odoo-version must be 15.0, 16.0, 17.0, 18.0 or 19.0, got "${version}"`);
  }
  return version as EmulatorVersion;
}

export async function main(argv: string[], io: MainIO): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`odoo-mcp-server: ${err.message}`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (args.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (args.version) {
    io.out(packageVersion());
    return EXIT_OK;
  }

  let config: Config;
  let warnings: string[];
  try {
    ({ config, warnings } = loadConfig({
      file: args.configFile,
      env: io.env,
      cwd: io.cwd,
      overrides: args.overrides,
    }));
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) io.err(line);
      return EXIT_USAGE;
    }
    throw err;
  }
  const { logger, redact } = createLogger(config.logging, { secrets: [config.api_key, config.password] });
  for (const w of warnings) logger.warn(w);

  try {
    switch (args.command) {
      case 'emulator': {
        const { startEmulator } = await import('../emulator/index.js');
        const emu = await startEmulator({
          odooVersion: emulatorVersion(args.odooVersion),
          port: args.port ?? 8069,
          logger: { info: (msg: string) => logger.info(msg) },
        });
        io.err(`Odoo emulator (not Odoo) listening on ${emu.url}; log in as admin / admin. Ctrl+C stops it.`);
        await io.untilSignal();
        await emu.close();
        return EXIT_OK;
      }
      case 'doctor': {
        const emu = args.demo ? await startDemo(args, config, logger) : undefined;
        try {
          if (emu) config = emu.config;
          requireOdooSettings(config);
          const { runDoctor } = await import('./doctor.js');
          return await runDoctor(config, io, logger, redact);
        } finally {
          await emu?.close();
        }
      }
      case 'read': {
        const emu = args.demo ? await startDemo(args, config, logger) : undefined;
        if (emu) config = emu.config;
        const client = OdooClient.fromConfig(config, logger);
        try {
          requireOdooSettings(config);
          const deps = createServices(client, config, { logger, redact, version: packageVersion() });
          // The MCP client package is only needed here.
          const { readResourceText } = await import('../mcp/read-resource.js');
          io.out(await readResourceText(deps, args.target ?? ''));
          return EXIT_OK;
        } catch (err) {
          if (err instanceof ConfigError) throw err;
          logger.debug({ err }, 'read failed');
          const message = err instanceof Error ? err.message : String(err);
          io.err(redact(`odoo-mcp-server: ${message}`));
          return EXIT_FAILURE;
        } finally {
          await client.close();
          await emu?.close();
        }
      }
      default: {
        const emu = args.demo ? await startDemo(args, config, logger) : undefined;
        if (emu) config = emu.config;
        if (config.connection_type !== 'stdio') {
          try {
            // The HTTP front (and OAuth's jose) load only for the HTTP transports.
            const { runHttp } = await import('./http.js');
            return await runHttp(config, io, { logger, redact, version: packageVersion(), demo: args.demo });
          } finally {
            await emu?.close();
          }
        }
        requireOdooSettings(config);
        const client = OdooClient.fromConfig(config, logger);
        const deps = createServices(client, config, { logger, redact, version: packageVersion() });
        if (!io.stdin || !io.stdout) throw new Error('the stdio transport needs the standard streams');
        const handle = serveOverStdio(deps, logger, {
          maxLineBytes: config.stdio.max_line_bytes,
          stdin: io.stdin,
          stdout: io.stdout,
          // Its first tool call then finds the HTTP client loaded (bench/figures.ts: first call).
          onListed: () => client.prepare(),
        });
        logger.info({ odoo: config.odoo_url, demo: args.demo }, 'Serving MCP over stdio');
        if (io.stdinIsTTY) {
          // A person ran it in a terminal: say what it is waiting for instead of hanging silently.
          io.err(
            'odoo-mcp-server is an MCP server speaking over stdin/stdout: start it from an MCP client (Claude Desktop, Cursor, the MCP Inspector...). Ctrl+C stops it.',
          );
        }
        // stdin's end closes the wire once the requests already read are answered.
        await Promise.race([io.untilSignal(), handle.done]);
        await handle.close();
        await client.close();
        await emu?.close();
        return EXIT_OK;
      }
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) io.err(line);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.err(`odoo-mcp-server: ${err.message}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** Starts an in-process emulator and points the configuration at it with the demo credentials. */
async function startDemo(
  args: ParsedArgs,
  config: Config,
  logger: ReturnType<typeof createLogger>['logger'],
) {
  const { startEmulator } = await import('../emulator/index.js');
  const emu = await startEmulator({
    odooVersion: emulatorVersion(args.odooVersion),
    port: 0,
    logger: { info: (msg: string) => logger.info(msg) },
  });
  return {
    config: {
      ...config,
      odoo_url: emu.url,
      database: emu.database,
      ...DEMO_CREDENTIALS,
      password: undefined,
    } as Config,
    close: () => emu.close(),
  };
}
