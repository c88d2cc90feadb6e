// What differs on the wire between the Odoo versions the emulator answers as. Every value here
// was read from the recorded corpus (test/fixtures/odoo-contract/<version>).
import type { OdooVersion } from './orm/types.js';

export interface VersionProfile {
  version: OdooVersion;
  major: number;
  /** odoo.release.version as common.version reports it (17/18 builds carry a date suffix). */
  serverVersion: string;
  /** The database the corpus was recorded on, used when none is given. */
  defaultDatabase: string;
  /** JSON-RPC error.code of application errors: 200 up to 18, 0 from 19. */
  jsonRpcErrorCode: number;
  /** JSON-2 (/json/2/<model>/<method>) and GET /json/version exist from 19. */
  json2: boolean;
  /** GET /web/version exists from 19 (17/18 answer the website 404 page). */
  webVersion: boolean;
  /** 18 has an auth='user' /json/<path> route that redirects anonymous callers to the login page. */
  jsonRedirectsToLogin: boolean;
  /** /jsonrpc's route type as werkzeug's 415 page names it. */
  jsonRouteType: string;
  /** 17 serialises XML-RPC with the stdlib dumps (single-quoted prolog, no blank line). */
  xmlrpcStdlibEnvelope: boolean;
}

const PROFILES: Record<OdooVersion, VersionProfile> = {
  '17.0': {
    version: '17.0',
    major: 17,
    serverVersion: '17.0-20240709',
    defaultDatabase: 'odoo17',
    jsonRpcErrorCode: 200,
    json2: false,
    webVersion: false,
    jsonRedirectsToLogin: false,
    jsonRouteType: 'json',
    xmlrpcStdlibEnvelope: true,
  },
  '18.0': {
    version: '18.0',
    major: 18,
    serverVersion: '18.0-20250702',
    defaultDatabase: 'odoo18',
    jsonRpcErrorCode: 200,
    json2: false,
    webVersion: false,
    jsonRedirectsToLogin: true,
    jsonRouteType: 'json',
    xmlrpcStdlibEnvelope: false,
  },
  '19.0': {
    version: '19.0',
    major: 19,
    serverVersion: '19.0',
    defaultDatabase: 'odoo',
    jsonRpcErrorCode: 0,
    json2: true,
    webVersion: true,
    jsonRedirectsToLogin: false,
    jsonRouteType: 'jsonrpc',
    xmlrpcStdlibEnvelope: false,
  },
};

export function versionProfile(version: OdooVersion): VersionProfile {
  return PROFILES[version];
}

/** common.version() / version_info: the RPC_VERSION_1 dict. */
export function rpcVersionInfo(p: VersionProfile): Record<string, unknown> {
  return {
    server_version: p.serverVersion,
    server_version_info: [p.major, 0, 0, 'final', 0, ''],
    server_serie: `${p.major}.0`,
    protocol_version: 1,
  };
}

/** GET /web/version and /json/version. */
export function webVersionInfo(p: VersionProfile): Record<string, unknown> {
  return { version_info: [p.major, 0, 0, 'final', 0, ''], version: p.serverVersion };
}
