// `odoo-mcp-server doctor`: connect with the configuration and say what was found, or what is wrong
// and how to fix it.
import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../logging/redact.js';
import { OdooClient, type VersionFeatures } from '../odoo/client.js';
import { AuthError, NetworkError, OdooError, ProtocolError } from '../odoo/errors.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** The one-line diagnosis and the fix, in the reference README's troubleshooting words. */
export function diagnose(err: unknown, config: Config): { problem: string; fix: string } {
  const url = config.odoo_url ?? '(no odoo_url)';
  if (err instanceof NetworkError) {
    const reason =
      err.kind === 'timeout'
        ? `no answer within ${config.timeout} s`
        : err.kind === 'unavailable'
          ? (err.message.match(/HTTP \d+/)?.[0] ?? 'unavailable')
          : err.kind === 'refused'
            ? 'connection refused'
            : err.kind === 'dns'
              ? 'host name not found'
              : err.kind === 'reset'
                ? 'connection reset'
                : 'network error';
    return {
      problem: `Could not connect to Odoo server at ${url} (${reason})`,
      fix: 'Check odoo_url (scheme, host and port), that Odoo is running, and that this machine can reach it.',
    };
  }
  if (err instanceof AuthError) {
    const msg = err.message.startsWith('Authentication failed')
      ? err.message
      : `Authentication failed: ${err.message}`;
    return {
      problem: msg,
      fix: `Check username and api_key (create a key in Odoo under Preferences > Account Security), and that database "${config.database ?? ''}" exists on ${url}.`,
    };
  }
  if (err instanceof ProtocolError) {
    return {
      problem: err.message.startsWith('Protocol error') ? err.message : `Protocol error: ${err.message}`,
      fix: 'Check that odoo_url is the Odoo server itself (not a proxy or login page), or set "protocol" to "jsonrpc" or "xmlrpc".',
    };
  }
  if (err instanceof OdooError) {
    return {
      problem: `Odoo error: ${err.message}`,
      fix: 'See the debug log (--log-level DEBUG) for details.',
    };
  }
  return {
    problem: `Unexpected error: ${(err as Error)?.message ?? String(err)}`,
    fix: 'Run with --log-level DEBUG.',
  };
}

/** What this version changes in how the server talks to it, for people comparing installations. */
export function versionNotes(f: VersionFeatures, partnerNameSearchable: unknown): string[] {
  return [
    f.json2 ? 'JSON-2 API available' : 'no JSON-2 API (Odoo 19+)',
    f.webSearchReadSpecification
      ? 'pages read with web_search_read and a field specification'
      : 'pages read with web_search_read and a field list (specifications are Odoo 17+)',
    f.formattedReadGroup ? 'groups with formatted_read_group' : 'groups with read_group',
    partnerNameSearchable === false
      ? 'display_name cannot be searched: text queries go through name_search'
      : 'text queries search display_name where the model allows it, name_search elsewhere',
  ];
}

export async function runDoctor(
  config: Config,
  io: Output,
  logger: Logger,
  redact: Redactor,
): Promise<number> {
  const client = OdooClient.fromConfig(config, logger);
  try {
    const info = await client.connect();
    io.out(`Odoo server:  ${info.url} (Odoo ${info.serverVersion})`);
    io.out(`Protocol:     ${info.protocol} (${info.reason})`);
    io.out(`Database:     ${info.database ?? '(server default)'}`);
    const [user] = await client.read('res.users', [info.uid], { fields: ['name', 'login'] });
    io.out(
      `User:         ${String(user?.login ?? info.login ?? '?')} (uid ${info.uid}, ${String(user?.name ?? '?')})`,
    );
    const canRead = await client.checkAccessRights('res.partner', 'read');
    io.out(`res.partner:  ${canRead ? 'this user may read partners' : 'this user may NOT read partners'}`);
    const features = await client.features();
    const partner = canRead ? await client.fieldsGet('res.partner') : undefined;
    io.out(
      `Version:      Odoo ${info.major}: ${versionNotes(features, partner?.display_name?.searchable).join('; ')}`,
    );
    io.out('OK');
    return 0;
  } catch (err) {
    const { problem, fix } = diagnose(err, config);
    logger.debug({ err }, 'doctor failed');
    io.err(redact(problem));
    io.err(`Fix: ${redact(fix)}`);
    return 1;
  } finally {
    await client.close();
  }
}
