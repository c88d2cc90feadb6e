// Replays the recorded corpus at the ORM seam: each XML-RPC / JSON-RPC / JSON-2 exchange is turned
// into the OrmCall its front end would make (or authenticate/checkUid), in recording order on one
// ORM per version so that ids and state carry over as on the real server, and the outcome is
// compared with the recorded result or exception (class and message).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOrm, type EmulatedOrm, OdooException } from '../../src/emulator/orm/index.js';
import { decodeMethodCall, decodeMethodResponse, XmlRpcDateTime } from '../../src/odoo/xmlrpc/codec.js';
import { type CorpusVersion, FIXTURES, type RecordedCase } from '../helpers/corpus.js';

export type Outcome = { ok: true; value: unknown } | { ok: false; type: string; message: string };

export interface Replayed {
  key: string;
  protocol: RecordedCase['protocol'];
  /** Why the exchange is not an ORM matter (front-end, HTTP...), when it is not replayed. */
  skipped?: string;
  actual?: Outcome;
  expected?: Outcome;
  /** First difference, undefined when the outcome matches. */
  difference?: string;
}

const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

interface CompareOptions {
  /** Keys left out of the comparison entirely. */
  ignoreKeys?: Set<string>;
  /** Compare numbers by type only (new ids the emulator cannot know). */
  idsByShape?: boolean;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 120 ? `${text.slice(0, 120)}...` : text;
}

export function difference(
  actual: unknown,
  expected: unknown,
  path: string,
  opts: CompareOptions,
): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (opts.idsByShape) return undefined;
    return Math.abs(actual - expected) < 1e-9 ? undefined : `${path}: ${actual} != ${expected}`;
  }
  if (
    typeof expected === 'string' &&
    typeof actual === 'string' &&
    DATETIME.test(expected) &&
    DATETIME.test(actual)
  ) {
    // Timestamps of records the replay created are the emulator's own clock.
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual))
      return `${path}: ${describe(actual)} is not a list like ${describe(expected)}`;
    if (actual.length !== expected.length) {
      return `${path}: length ${actual.length} != ${expected.length} (${describe(actual)} vs ${describe(expected)})`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], `${path}[${i}]`, opts);
      if (d) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path}: ${describe(actual)} is not a dict`;
    }
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const ak = Object.keys(a).filter((k) => !opts.ignoreKeys?.has(k));
    const ek = Object.keys(e).filter((k) => !opts.ignoreKeys?.has(k));
    const missing = ek.filter((k) => !(k in a));
    const extra = ak.filter((k) => !(k in e));
    if (missing.length || extra.length)
      return `${path}: keys missing ${describe(missing)}, extra ${describe(extra)}`;
    for (const key of ek) {
      const d = difference(a[key], e[key], `${path}.${key}`, opts);
      if (d) return d;
    }
    return undefined;
  }
  return actual === expected ? undefined : `${path}: ${describe(actual)} != ${describe(expected)}`;
}

function capture(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof OdooException) return { ok: false, type: error.pyType, message: error.message };
    throw error;
  }
}

/** The exception line of a reduced traceback for `type` (builtins print the bare class name). */
function xmlrpcFault(code: number | string, text: string, actual: Outcome | undefined): Outcome {
  if (code === 1) {
    if (actual && !actual.ok) {
      const short = actual.type.startsWith('builtins.') ? actual.type.slice('builtins.'.length) : actual.type;
      // Reduced tracebacks drop psycopg2's caret line.
      const strip = (t: string) => t.replace(/\n\s+\^(?=\n|$)/g, '').trimEnd();
      const marker = strip(`${short}: ${actual.message}`);
      if (strip(text).includes(marker)) return actual;
    }
    const lines = text.trim().split('\n');
    const last = [...lines].reverse().find((l) => /^[\w.]+: /.test(l)) ?? '';
    const at = last.indexOf(': ');
    return { ok: false, type: `fault1:${last.slice(0, at)}`, message: last.slice(at + 2) };
  }
  const byCode: Record<string, string[]> = {
    '2': ['odoo.exceptions.MissingError', 'odoo.exceptions.UserError', 'odoo.exceptions.ValidationError'],
    '3': ['odoo.exceptions.AccessDenied'],
    '4': ['odoo.exceptions.AccessError'],
  };
  const types = byCode[String(code)] ?? [];
  const type = actual && !actual.ok && types.includes(actual.type) ? actual.type : `fault${code}`;
  return { ok: false, type, message: text };
}

function plain(value: unknown): unknown {
  if (value instanceof XmlRpcDateTime) return String(value);
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

interface RpcRequest {
  service: string;
  method: string;
  args: unknown[];
}

function rpcRequest(c: RecordedCase): RpcRequest | string {
  if (c.protocol === 'jsonrpc') {
    let body: { params?: { service?: string; method?: string; args?: unknown[] } };
    try {
      body = JSON.parse(c.request.body ?? '');
    } catch {
      return 'malformed body: the front end answers it';
    }
    return {
      service: body.params?.service ?? '',
      method: body.params?.method ?? '',
      args: body.params?.args ?? [],
    };
  }
  const service = c.request.path.split('/').pop() ?? '';
  try {
    const call = decodeMethodCall(c.request.body ?? '');
    return { service, method: call.method, args: plain(call.params) as unknown[] };
  } catch {
    return 'malformed body: the front end answers it';
  }
}

function expectedRpc(c: RecordedCase, actual: Outcome | undefined): Outcome {
  if (c.protocol === 'jsonrpc') {
    const body = JSON.parse(c.response.body) as {
      result?: unknown;
      error?: { data: { name: string; message: string } };
    };
    if (body.error) return { ok: false, type: body.error.data.name, message: body.error.data.message };
    return { ok: true, value: body.result };
  }
  const decoded = decodeMethodResponse(c.response.body);
  if (decoded.kind === 'fault') {
    // Python None cannot be marshalled: the method ran and returned None.
    if (decoded.fault.faultString.includes('cannot marshal None')) return { ok: true, value: undefined };
    return xmlrpcFault(decoded.fault.faultCode, decoded.fault.faultString, actual);
  }
  return { ok: true, value: plain(decoded.value) };
}

/** JSON-2 answers the model/method lookups with NotFound where execute_kw raises. */
function json2Shape(outcome: Outcome): Outcome {
  if (outcome.ok) return outcome.value === undefined ? { ok: true, value: null } : outcome;
  const model = /^Object (.+) doesn't exist$/.exec(outcome.message);
  if (outcome.type === 'odoo.exceptions.UserError' && model) {
    return {
      ok: false,
      type: 'werkzeug.exceptions.NotFound',
      message: `the model '${model[1]}' does not exist`,
    };
  }
  if (
    outcome.type === 'builtins.AttributeError' &&
    /^The method '.+' does not exist$/.test(outcome.message)
  ) {
    return { ok: false, type: 'werkzeug.exceptions.NotFound', message: outcome.message };
  }
  return outcome;
}

function replayRpc(orm: EmulatedOrm, c: RecordedCase): { actual: Outcome; expected: Outcome } | string {
  const req = rpcRequest(c);
  if (typeof req === 'string') return req;
  const { service, method, args } = req;
  let actual: Outcome;
  if (service === 'common') {
    if (method === 'version') return 'common.version: answered by the front end';
    const [db, login, secret] = args as [string, string, string];
    actual = capture(() => orm.authenticate(db, login, secret));
  } else if (service === 'object' && method === 'execute_kw') {
    const [db, uid, secret, model, name, callArgs, kwargs] = args as [
      string,
      number,
      string,
      string,
      string,
      unknown[],
      Record<string, unknown> | undefined,
    ];
    actual = capture(() => {
      orm.assertDatabase(db);
      if (!orm.checkUid(uid, secret))
        throw new OdooException('odoo.exceptions.AccessDenied', 'Access Denied');
      return orm.call({
        uid,
        model,
        method: name,
        style: 'positional',
        args: callArgs,
        kwargs: kwargs ?? {},
      });
    });
  } else {
    return `${service}.${method}: not an ORM call`;
  }
  return { actual, expected: expectedRpc(c, actual) };
}

function replayJson2(orm: EmulatedOrm, c: RecordedCase): { actual: Outcome; expected: Outcome } | string {
  const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(c.request.path);
  if (!m || c.request.method !== 'POST') return 'not a JSON-2 model call: answered by the front end';
  const headers = Object.fromEntries(Object.entries(c.request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  if (headers['content-type'] !== 'application/json') return 'media type: answered by the front end';
  const db = headers['x-odoo-database'];
  if (db !== undefined && db !== orm.database) return 'unknown database: answered by the front end';
  const bearer = /^bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  if (!bearer) return 'no Authorization: answered by the front end';
  const uid = orm.uidForApiKey(bearer);
  if (uid === undefined) return 'bad API key: answered by the front end';
  let body: Record<string, unknown>;
  try {
    body = c.request.body ? (JSON.parse(c.request.body) as Record<string, unknown>) : {};
  } catch {
    return 'malformed body: answered by the front end';
  }
  const { ids, context, ...params } = body;
  const [, model = '', method = ''] = m;
  const actual = json2Shape(
    capture(() =>
      orm.call({
        uid,
        model,
        method,
        style: 'named',
        ids: (ids ?? []) as number[],
        params,
        context: (context ?? {}) as Record<string, unknown>,
      }),
    ),
  );
  const expectedBody = JSON.parse(c.response.body) as unknown;
  const expected: Outcome =
    c.response.status === 200
      ? { ok: true, value: expectedBody }
      : {
          ok: false,
          type: (expectedBody as { name: string }).name,
          message: (expectedBody as { message: string }).message,
        };
  return { actual, expected };
}

function compareOptions(name: string): CompareOptions {
  switch (name) {
    case 'partner_message_post':
      // mail.message ids come from messages the seed does not hold.
      return { idsByShape: true };
    case 'ir_model_fields_partner':
      // ir.model.fields ids are the database's; the emulator numbers the fields itself.
      return { ignoreKeys: new Set(['id']) };
    default:
      return {};
  }
}

export function replayVersion(version: CorpusVersion, database: string): Replayed[] {
  const dir = join(FIXTURES, version);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { files: { file: string }[] };
  const orm = createOrm({ version, database });
  const out: Replayed[] = [];
  for (const { file } of index.files) {
    const c = JSON.parse(readFileSync(join(dir, file), 'utf8')) as RecordedCase;
    const key = `${c.case}.${c.protocol}`;
    if (c.skipped) {
      out.push({ key, protocol: c.protocol, skipped: `not in this version: ${c.note ?? ''}` });
      continue;
    }
    if (c.protocol === 'http') {
      out.push({ key, protocol: c.protocol, skipped: 'plain HTTP route' });
      continue;
    }
    if (c.protocol === 'json2' && version !== '19.0') {
      out.push({ key, protocol: c.protocol, skipped: 'no JSON-2 before 19.0: answered by the front end' });
      continue;
    }
    const replay = c.protocol === 'json2' ? replayJson2(orm, c) : replayRpc(orm, c);
    if (typeof replay === 'string') {
      out.push({ key, protocol: c.protocol, skipped: replay });
      continue;
    }
    const { actual, expected } = replay;
    let diff: string | undefined;
    if (actual.ok !== expected.ok) {
      diff = `outcome ${describe(actual)} != ${describe(expected)}`;
    } else if (!actual.ok && !expected.ok) {
      if (actual.type !== expected.type) diff = `type ${actual.type} != ${expected.type}`;
      else if (actual.message !== expected.message)
        diff = `message ${describe(actual.message)} != ${describe(expected.message)}`;
    } else if (actual.ok && expected.ok) {
      diff = difference(actual.value, expected.value, 'result', compareOptions(c.case));
    }
    out.push({ key, protocol: c.protocol, actual, expected, difference: diff });
  }
  return out;
}
