// Every recorded exchange of the corpus, replayed through the client's protocol adapters from a
// loopback server: the request the adapter sends must mean what the recording sent, and the
// recorded answer must decode to the right value or error class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Json2Adapter } from '../../src/odoo/adapters/json2.js';
import { JsonRpcAdapter } from '../../src/odoo/adapters/jsonrpc.js';
import { XmlRpcAdapter } from '../../src/odoo/adapters/xmlrpc.js';
import {
  AccessError,
  AuthError,
  MissingError,
  type OdooError,
  OdooServerError,
  ProtocolError,
  UnknownMethodError,
  UnknownModelError,
  ValidationError,
} from '../../src/odoo/errors.js';
import type { MethodCall, ProtocolAdapter, Session } from '../../src/odoo/protocol.js';
import { HttpTransport } from '../../src/odoo/transport.js';
import { decodeMethodCall } from '../../src/odoo/xmlrpc/codec.js';
import { type CorpusVersion, loadCases, type RecordedCase, VERSIONS } from '../helpers/corpus.js';
import { type HttpStub, type StubRequest, startHttpStub } from '../helpers/http-stub.js';

type ErrorClass = abstract new (...args: never[]) => OdooError;

/** What each error case must decode to. Written by hand from the corpus INDEX, not derived from the code. */
function expectedError(c: RecordedCase): { cls: ErrorClass; name?: string } | undefined {
  const p = c.protocol;
  switch (c.case) {
    case 'error_bad_api_key':
    case 'error_json2_missing_authorization':
      return { cls: AuthError };
    case 'error_access_create_partner_apiuser':
    case 'error_access_read_sale_order_apiuser':
    case 'error_record_rule_write_partner_apiportal':
    case 'error_private_method':
      return { cls: AccessError };
    case 'error_missing_record_write':
      return { cls: MissingError };
    case 'error_validation_parent_recursion':
    case 'error_user_error_unlink_confirmed_order':
      return { cls: ValidationError };
    case 'error_unknown_model':
      return { cls: UnknownModelError };
    case 'error_unknown_method':
      return { cls: UnknownMethodError };
    case 'error_domain_unknown_field':
    case 'error_domain_bad_operator':
      return { cls: OdooServerError, name: 'builtins.ValueError' };
    case 'error_missing_argument':
    case 'error_too_many_arguments':
      return {
        cls: OdooServerError,
        name: p === 'json2' ? 'werkzeug.exceptions.UnprocessableEntity' : 'builtins.TypeError',
      };
    case 'error_wrong_type_ids_string':
      return { cls: OdooServerError, name: 'psycopg2.errors.InvalidTextRepresentation' };
    case 'error_malformed_body':
      return p === 'jsonrpc'
        ? { cls: ProtocolError }
        : {
            cls: OdooServerError,
            name: p === 'xmlrpc' ? 'xml.parsers.expat.ExpatError' : 'werkzeug.exceptions.BadRequest',
          };
    case 'error_unknown_database':
      return p === 'json2' ? { cls: ProtocolError } : { cls: AuthError };
    case 'error_json2_wrong_content_type':
    case 'error_json2_get_method':
      return { cls: ProtocolError };
    case 'error_json2_ids_on_model_method':
      return { cls: OdooServerError, name: 'werkzeug.exceptions.UnprocessableEntity' };
    case 'error_json2_unknown_kwarg_swallowed':
      return { cls: OdooServerError, name: 'builtins.TypeError' };
    case 'common_authenticate_wrong_password':
      return { cls: AuthError };
    case 'sale_order_web_read':
      // web_read arrived in 17.0; 15 and 16 answer it as an unknown method.
      return Number.parseInt(c.odoo_version, 10) <= 16 ? { cls: UnknownMethodError } : undefined;
    case 'json2_probe':
      return c.odoo_version === '19.0' ? undefined : { cls: ProtocolError };
    case 'http_web_version':
    case 'http_json_version':
      return c.odoo_version === '19.0' ? undefined : { cls: ProtocolError };
    default:
      return undefined;
  }
}

/** Cases whose recorded request is deliberately malformed: the adapter sends a correct one instead. */
const BROKEN_REQUESTS = new Set([
  'error_malformed_body',
  'error_json2_wrong_content_type',
  'error_json2_get_method',
]);

/** common.login is the older shorthand; the client logs in with common.authenticate, whose answer is the same uid. */
const SAME_ANSWER_OTHER_CALL = new Set(['common_login']);

/** Routes of the web client that the MCP server never calls. */
const NOT_CLIENT_ROUTES: Record<string, string> = {
  http_webclient_version_info: 'web client route; the client probes /web/version and common.version instead',
};

function recordedResult(c: RecordedCase): unknown {
  if (c.protocol === 'jsonrpc') {
    const body = JSON.parse(c.response.body) as { result?: unknown };
    return 'result' in body ? body.result : null;
  }
  if (c.protocol === 'json2' || c.protocol === 'http') return JSON.parse(c.response.body);
  return undefined;
}

interface Planned {
  adapter: 'xmlrpc' | 'jsonrpc' | 'json2';
  run(adapter: ProtocolAdapter): Promise<unknown>;
}

function plan(c: RecordedCase): Planned {
  const { request } = c;
  if (c.protocol === 'http') {
    return {
      adapter: 'json2',
      run: (a) => (a as Json2Adapter).fetchVersion(request.path as '/web/version' | '/json/version'),
    };
  }
  if (c.protocol === 'json2') {
    const auth = request.headers.authorization ?? '';
    const secret = auth.replace(/^bearer\s+/i, '');
    const db = request.headers['x-odoo-database'];
    if (request.path === '/json/version') return { adapter: 'json2', run: (a) => a.serverVersion() };
    const [, , , model = '', method = ''] = request.path.split('/');
    let body: Record<string, unknown> = {};
    try {
      body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    } catch {
      body = {};
    }
    const { ids, ...kwargs } = body;
    const call: MethodCall = { model, method, ids: ids as number[] | undefined, args: [], kwargs };
    return { adapter: 'json2', run: (a) => a.execute({ db, secret, uid: 0 }, call) };
  }
  if (BROKEN_REQUESTS.has(c.case)) {
    const call: MethodCall = { model: 'res.partner', method: 'search_count', args: [[]], kwargs: {} };
    return { adapter: c.protocol, run: (a) => a.execute({ db: 'odoo', uid: 2, secret: 'key' }, call) };
  }
  const params =
    c.protocol === 'xmlrpc'
      ? (decodeMethodCall(request.body ?? '') as { method: string; params: unknown[] })
      : (() => {
          const p = (JSON.parse(request.body ?? '{}') as { params: { method: string; args: unknown[] } })
            .params;
          return { method: p.method, params: p.args };
        })();
  const adapter = c.protocol;
  if (params.method === 'version') return { adapter, run: (a) => a.serverVersion() };
  if (params.method === 'authenticate' || params.method === 'login') {
    const [db, login, secret] = params.params as string[];
    return { adapter, run: (a) => a.login({ db, login, secret: secret ?? '' }) };
  }
  const [db, uid, secret, model, method, args, kwargs] = params.params as [
    string,
    number,
    string,
    string,
    string,
    unknown[],
    Record<string, unknown> | undefined,
  ];
  const session: Session = { db, uid, secret };
  return { adapter, run: (a) => a.execute(session, { model, method, args, kwargs: kwargs ?? {} }) };
}

/** The sent request must carry what the recorded one carried, whatever the byte-level formatting. */
function expectSameRequest(c: RecordedCase, sent: StubRequest | undefined): void {
  expect(sent, 'the adapter sent a request').toBeDefined();
  if (!sent) return;
  expect(sent.path).toBe(c.request.path);
  if (c.protocol === 'http' || c.request.path === '/json/version') return;
  if (c.protocol === 'xmlrpc') {
    expect(decodeMethodCall(sent.body)).toEqual(decodeMethodCall(c.request.body ?? ''));
  } else if (c.protocol === 'jsonrpc') {
    const params = (b: string) => (JSON.parse(b) as { params: unknown }).params;
    const normalize = (p: unknown) => {
      const q = p as { args: unknown[] };
      // An absent kwargs and an empty one mean the same to Odoo.
      if (q.args.length === 6) q.args.push({});
      return q;
    };
    if (String((params(sent.body) as { method: string }).method) === 'execute_kw') {
      expect(normalize(params(sent.body))).toEqual(normalize(params(c.request.body ?? '')));
    } else {
      expect(params(sent.body)).toEqual(params(c.request.body ?? ''));
    }
  } else {
    expect(JSON.parse(sent.body)).toEqual(JSON.parse(c.request.body ?? '{}'));
    expect(sent.headers.authorization?.toLowerCase()).toBe(c.request.headers.authorization?.toLowerCase());
    expect(sent.headers['x-odoo-database']).toBe(c.request.headers['x-odoo-database']);
  }
}

const tally: Record<string, { passed: number; skipped: string[] }> = {};

for (const version of VERSIONS) {
  describe(`corpus ${version}`, () => {
    let stub: HttpStub;
    let transport: HttpTransport;
    let adapters: Record<'xmlrpc' | 'jsonrpc' | 'json2', ProtocolAdapter>;
    const cases = loadCases(version as CorpusVersion);
    const jsonrpcResults = new Map(
      cases
        .filter((c) => c.protocol === 'jsonrpc' && !c.skipped && c.response.status === 200)
        .map((c) => [c.case, recordedResult(c)] as const),
    );

    beforeAll(async () => {
      stub = await startHttpStub();
      transport = new HttpTransport({ baseUrl: stub.url, poolSize: 4, timeoutMs: 5000 });
      adapters = {
        xmlrpc: new XmlRpcAdapter(transport),
        jsonrpc: new JsonRpcAdapter(transport),
        json2: new Json2Adapter(transport),
      };
    });
    afterAll(async () => {
      await transport.close();
      await stub.close();
    });

    for (const c of cases) {
      const title = `${c.case}.${c.protocol}`;
      const key = `${version} ${c.protocol}`;
      tally[key] ??= { passed: 0, skipped: [] };
      if (c.skipped || NOT_CLIENT_ROUTES[c.case]) {
        tally[key].skipped.push(c.case);
        it.skip(`${title}: ${c.skipped ? (c.note ?? 'not in this version') : NOT_CLIENT_ROUTES[c.case]}`, () => {});
        continue;
      }
      it(title, async () => {
        const planned = plan(c);
        const before = stub.requests.length;
        stub.handle((req) => {
          if (req.path !== c.request.path) throw new Error(`expected ${c.request.path}, got ${req.path}`);
          return { status: c.response.status, headers: c.response.headers, body: c.response.body };
        });
        let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, value: await planned.run(adapters[planned.adapter]) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        expect(stub.requests.length - before, 'exactly one request').toBe(1);
        if (!BROKEN_REQUESTS.has(c.case) && !SAME_ANSWER_OTHER_CALL.has(c.case)) {
          expectSameRequest(c, stub.requests[before]);
        }

        const wanted = expectedError(c);
        if (wanted) {
          expect(outcome.ok, `expected ${wanted.cls.name}`).toBe(false);
          if (!outcome.ok) {
            expect(outcome.error).toBeInstanceOf(wanted.cls);
            if (wanted.name) expect((outcome.error as OdooError).details.exceptionName).toBe(wanted.name);
            const err = outcome.error as OdooError;
            // Tracebacks stay in `traceback`, never in the message a model sees.
            expect(err.message).not.toMatch(/Traceback \(most recent call last\)/);
          }
        } else {
          if (!outcome.ok) throw outcome.error;
          const value = outcome.value;
          if (c.case === 'common_version' || c.case.startsWith('http_')) {
            expect((value as { major: number }).major).toBe(Number.parseInt(version, 10));
          } else if (c.case.startsWith('common_')) {
            expect(value).toBe(2);
          } else if (c.protocol === 'xmlrpc') {
            // XML-RPC must decode to exactly what JSON-RPC returned for the same call.
            const reference = jsonrpcResults.get(c.case);
            if (RECORD_SPECIFIC.has(c.case)) expect(shape(value)).toEqual(shape(reference));
            else expect(value).toEqual(reference);
          } else {
            expect(value).toEqual(recordedResult(c));
          }
        }
        const t = tally[key];
        if (t) t.passed++;
      });
    }
  });
}

/** Cases whose values depend on the records each protocol created (ids, timestamps). */
const RECORD_SPECIFIC = new Set([
  'partner_create',
  'partner_create_multi',
  'partner_copy',
  'partner_message_post',
  'partner_read_written',
]);

function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

afterAll(() => {
  const lines = Object.entries(tally).map(
    ([k, t]) =>
      `${k}: ${t.passed} passed${t.skipped.length ? `, not replayed: ${t.skipped.join(', ')}` : ''}`,
  );
  process.stderr.write(`\ncorpus replay through the client\n${lines.join('\n')}\n`);
});
