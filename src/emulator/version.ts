// What differs on the wire between the Odoo versions the emulator answers as. Every value here
// was read from the recorded corpus (test/fixtures/odoo-contract/<version>).
import type { OdooVersion } from './orm/types.js';

export interface VersionProfile {
  version: OdooVersion;
  major: number;
  /** odoo.release.version as common.version reports it (15 to 18 builds carry a date suffix). */
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
  /** Up to 17 XML-RPC is serialised with the stdlib dumps (single-quoted prolog, no blank line). */
  xmlrpcStdlibEnvelope: boolean;
  /**
   * 15's odoo.http picks the request type from the Content-Type, before routing: a JSON body to a
   * path no route serves gets a JSON-RPC envelope with werkzeug's NotFound (HTTP 404), and a JSON
   * body that does not parse gets werkzeug's BadRequest page. From 16 the route decides (the
   * website 404 page, and a bare "Invalid JSON data").
   */
  jsonRequestByMimetype: boolean;
  /** Content-Type of JSON-RPC answers: 15's JsonRequest names no charset. */
  jsonContentType: string;
  /** The website 404 page sets frontend_lang next to session_id from 16 on. */
  websiteLangCookie: boolean;
  /**
   * The PostgreSQL port psycopg2 names when a database does not exist: the 15.0 and 16.0 servers
   * of the corpus ran against clusters of their own.
   */
  postgresPort: number;
}

const JSON_UTF8 = 'application/json; charset=utf-8';

const PROFILES: Record<OdooVersion, VersionProfile> = {
  '15.0': {
    version: '15.0',
    major: 15,
    serverVersion: '15.0-20220805',
    defaultDatabase: 'odoo',
    jsonRpcErrorCode: 200,
    json2: false,
    webVersion: false,
    jsonRedirectsToLogin: false,
    jsonRouteType: 'json',
    xmlrpcStdlibEnvelope: true,
    jsonRequestByMimetype: true,
    jsonContentType: 'application/json',
    websiteLangCookie: false,
    postgresPort: 5415,
  },
  '16.0': {
    version: '16.0',
    major: 16,
    serverVersion: '16.0-20231208',
    defaultDatabase: 'odoo',
    jsonRpcErrorCode: 200,
    json2: false,
    webVersion: false,
    jsonRedirectsToLogin: false,
    jsonRouteType: 'json',
    xmlrpcStdlibEnvelope: true,
    jsonRequestByMimetype: false,
    jsonContentType: JSON_UTF8,
    websiteLangCookie: true,
    postgresPort: 5416,
  },
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
    jsonRequestByMimetype: false,
    jsonContentType: JSON_UTF8,
    websiteLangCookie: true,
    postgresPort: 5432,
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
    jsonRequestByMimetype: false,
    jsonContentType: JSON_UTF8,
    websiteLangCookie: true,
    postgresPort: 5432,
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
    jsonRequestByMimetype: false,
    jsonContentType: JSON_UTF8,
    websiteLangCookie: true,
    postgresPort: 5432,
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
