// Plain HTTP routes: the version probes and what each version answers on paths it does not have
// (17: the website 404 page; 18: /json/<path> belongs to an auth='user' route, so anonymous callers
// are redirected to the login page).
import { webVersionInfo } from '../version.js';
import {
  type FrontContext,
  jsonResponse,
  redirect,
  sessionCookie,
  type WireRequest,
  type WireResponse,
} from './http.js';

/** Answers the web routes the emulated version has; undefined when none matches. */
export function handleWeb(ctx: FrontContext, req: WireRequest): WireResponse | undefined {
  const { profile, note } = ctx;
  const { path } = req;
  if ((profile.webVersion && path === '/web/version') || (profile.json2 && path === '/json/version')) {
    note.protocol = 'web';
    note.method = 'version';
    return jsonResponse(200, webVersionInfo(profile), { 'set-cookie': sessionCookie() });
  }
  if (profile.jsonRedirectsToLogin && path.startsWith('/json/') && path.length > '/json/'.length) {
    note.protocol = 'web';
    const target = `${path}?${req.query}`;
    return redirect(`/web/login?redirect=${encodeURIComponent(target)}`);
  }
  return undefined;
}
