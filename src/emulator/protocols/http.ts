// The request/response shapes shared by the protocol front ends, and the HTTP-level pages Odoo
// (werkzeug, the website module) answers with when no RPC layer is involved.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Orm } from '../orm/api.js';
import type { VersionProfile } from '../version.js';
import { pyJsonDumps } from './pyjson.js';

export interface WireRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Raw query string without '?' ('' when absent). */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/** What a front end tells the request log about the call it served. */
export interface CallNote {
  protocol: 'xmlrpc' | 'jsonrpc' | 'json2' | 'web' | 'none';
  service?: string;
  method?: string;
  model?: string;
  modelMethod?: string;
  /** No route of the emulated Odoo matched. */
  unexpected?: boolean;
}

export interface FrontContext {
  profile: VersionProfile;
  orm: Orm;
  note: CallNote;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';
/** The website module's pages are rendered with this exact (space-less) header. */
export const WEBSITE_HTML_TYPE = 'text/html;charset=utf-8';
export const XML_TYPE = 'text/xml; charset=utf-8';

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): WireResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: pyJsonDumps(value) };
}

/** The mimetype of a request (Content-Type without parameters, lower case). */
export function mimetype(req: WireRequest): string {
  const raw = req.headers['content-type'] ?? '';
  return (raw.split(';')[0] ?? '').trim().toLowerCase();
}

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** A fresh session cookie, as Odoo sets one on routes that save the session. */
export function sessionCookie(): string {
  const expires = new Date(Date.now() + 7 * 24 * 3600 * 1000).toUTCString();
  return `session_id=${randomBytes(20).toString('hex')}; Expires=${expires}; Max-Age=604800; HttpOnly; Path=/; SameSite=Lax`;
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

/** werkzeug's default HTML error page (HTTPException.get_body). */
export function werkzeugPage(status: number, reason: string, description: string): string {
  const text = escapeHtml(description).replace(/\n/g, '<br>');
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${reason}</title>\n<h1>${reason}</h1>\n<p>${text}</p>\n`;
}

export function werkzeugError(
  status: number,
  reason: string,
  description: string,
  headers: Record<string, string> = {},
): WireResponse {
  return {
    status,
    headers: { 'content-type': HTML_TYPE, ...headers },
    body: werkzeugPage(status, reason, description),
  };
}

/** 415 raised when the request's Content-Type does not fit the route type. */
export function unsupportedMediaType(routeRule: string, routeType: string): WireResponse {
  return werkzeugError(
    415,
    'Unsupported Media Type',
    `Request inferred type is compatible with ['http'] but '${routeRule}' is type='${routeType}'.\n\nPlease verify the Content-Type request header and try again.`,
  );
}

export function methodNotAllowed(allowed: string[]): WireResponse {
  return werkzeugError(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.', {
    allow: allowed.join(', '),
  });
}

/** werkzeug.utils.redirect's page. */
export function redirect(location: string, status = 303): WireResponse {
  const href = escapeHtml(location);
  return {
    status,
    headers: { 'content-type': HTML_TYPE, location },
    body: `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${href}">${href}</a>. If not, click the link.\n`,
  };
}

/** The 404 of a request whose database does not exist (only server-wide routes are left). */
export function noDatabaseNotFound(): WireResponse {
  return {
    status: 404,
    headers: { 'content-type': HTML_TYPE },
    body:
      '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
      '<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n' +
      '<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n' +
      '<!-- Alternatively, use the X-Odoo-Database header. -->\n',
  };
}

/** The website module's "page not found" for any unknown route of a database with a website. */
export function websiteNotFound(profile: VersionProfile): WireResponse {
  const cookies = profile.websiteLangCookie
    ? ['frontend_lang=en_US; Path=/', sessionCookie()]
    : [sessionCookie()];
  return {
    status: 404,
    headers: { 'content-type': WEBSITE_HTML_TYPE, 'set-cookie': cookies },
    body: `<!DOCTYPE html>
<html>
    <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Odoo</title>
        <link type="image/x-icon" rel="shortcut icon" href="/web/static/img/favicon.ico"/>
    </head>
    <body>
        <div id="wrapwrap">
            <main>
                <div id="wrap">
                    <div class="container">
                        <h1 class="visually-hidden">Error 404</h1>
                        <h2>We couldn't find the page you're looking for!</h2>
                        <p><a href="/" class="btn btn-primary">Home</a></p>
                    </div>
                </div>
            </main>
        </div>
    </body>
</html>`,
  };
}
