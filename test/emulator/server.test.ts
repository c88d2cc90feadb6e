// The emulator's wire layer on its own, over real HTTP, with a small scripted ORM: routing per
// version, error encodings, the None rules, faults, the request log, stop/restart.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Emulator,
  OdooException,
  type Orm,
  type OrmCall,
  startEmulator,
} from '../../src/emulator/index.js';
import {
  PyJsonDecodeError,
  pyFloatRepr,
  pyJsonDumps,
  pyJsonLoads,
} from '../../src/emulator/protocols/pyjson.js';
import { decodeMethodResponse, encodeMethodCall } from '../../src/odoo/xmlrpc/codec.js';

interface FakeOrm extends Orm {
  calls: OrmCall[];
  resets: number;
}

/** Answers by method name; raises the exception a method name asks for. */
function fakeOrm(database = 'odoo'): FakeOrm {
  const calls: OrmCall[] = [];
  const orm: FakeOrm = {
    version: '19.0',
    database,
    calls,
    resets: 0,
    authenticate: (_db, login, secret) => (login === 'admin' && secret === 'admin' ? 2 : false),
    uidForApiKey: (key) => (key === 'KEY' ? 2 : undefined),
    checkUid: (uid, secret) => uid === 2 && (secret === 'admin' || secret === 'KEY'),
    call(call) {
      calls.push(call);
      switch (call.method) {
        case 'returns_none':
          return undefined;
        case 'missing':
          throw new OdooException(
            'odoo.exceptions.MissingError',
            'Record does not exist or has been deleted.',
          );
        case 'user_error':
          throw new OdooException('odoo.exceptions.UserError', 'Nope.');
        case 'validation':
          throw new OdooException('odoo.exceptions.ValidationError', 'Invalid.');
        case 'access':
          throw new OdooException('odoo.exceptions.AccessError', 'Not for you.');
        case 'value_error':
          throw new OdooException('builtins.ValueError', 'Invalid field res.partner.x');
        case 'no_model':
          throw new OdooException('odoo.exceptions.UserError', `Object ${call.model} doesn't exist`);
        case 'no_method':
          throw new OdooException(
            'builtins.AttributeError',
            `The method '${call.model}.no_method' does not exist`,
          );
        default:
          return { n: calls.length, float: 1.5 };
      }
    },
    reset() {
      orm.resets += 1;
      calls.length = 0;
    },
  };
  return orm;
}

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(opts: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator & { fake: FakeOrm }> {
  const fake = fakeOrm();
  emu = await startEmulator({ orm: fake, ...opts });
  return Object.assign(emu, { fake });
}

async function post(e: Emulator, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await request(`${e.url}${path}`, { method: 'POST', body, headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function jsonrpc(e: Emulator, service: string, method: string, args: unknown[], id = 1) {
  return post(
    e,
    '/jsonrpc',
    JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }),
    {
      'content-type': 'application/json',
    },
  );
}

function executeKw(e: Emulator, method: string, route = '/xmlrpc/2/object') {
  const body = encodeMethodCall('execute_kw', ['odoo', 2, 'admin', 'res.partner', method, [[1]], {}]);
  return post(e, route, body, { 'content-type': 'text/xml' });
}

function fault(body: string): { faultCode: number | string; faultString: string } {
  const decoded = decodeMethodResponse(body);
  if (decoded.kind !== 'fault') throw new Error('expected a fault');
  return decoded.fault;
}

describe('start-up', () => {
  it('says it is an emulator, not Odoo, with the version and the URL', async () => {
    const lines: string[] = [];
    const e = await start({ odooVersion: '18.0', logger: { info: (m) => lines.push(m) } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/emulator \(not Odoo\)/);
    expect(lines[0]).toContain('18.0');
    expect(lines[0]).toContain(e.url);
  });
});

describe('XML-RPC', () => {
  it('encodes faults by class on /xmlrpc/2 with integer codes', async () => {
    const e = await start();
    expect(fault((await executeKw(e, 'missing')).body)).toEqual({
      faultCode: 2,
      faultString: 'Record does not exist or has been deleted.',
    });
    expect(fault((await executeKw(e, 'access')).body).faultCode).toBe(4);
    const f = fault((await executeKw(e, 'value_error')).body);
    expect(f.faultCode).toBe(1);
    expect(f.faultString).toBe(
      'Traceback (most recent call last):\nValueError: Invalid field res.partner.x\n',
    );
  });

  it('uses string fault codes on the legacy /xmlrpc routes', async () => {
    const e = await start();
    expect(fault((await executeKw(e, 'missing', '/xmlrpc/object')).body)).toEqual({
      faultCode: 'warning -- MissingError\n\nRecord does not exist or has been deleted.',
      faultString: '',
    });
    expect(fault((await executeKw(e, 'validation', '/xmlrpc/object')).body).faultCode).toBe(
      'warning -- UserError\n\nInvalid.',
    );
    expect(fault((await executeKw(e, 'access', '/xmlrpc/object')).body).faultCode).toBe(
      'warning -- AccessError\n\nNot for you.',
    );
    const denied = encodeMethodCall('execute_kw', ['odoo', 2, 'wrong', 'res.partner', 'read', [[1]]]);
    expect(fault((await post(e, '/xmlrpc/object', denied)).body)).toEqual({
      faultCode: 'AccessDenied',
      faultString: 'Access Denied',
    });
    const other = fault((await executeKw(e, 'value_error', '/xmlrpc/object')).body);
    expect(other.faultCode).toBe('Invalid field res.partner.x');
    expect(other.faultString).toMatch(/^Traceback/);
  });

  it('runs a method that returns None, then faults on marshalling it', async () => {
    const e = await start();
    const res = await executeKw(e, 'returns_none');
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(fault(res.body).faultString).toContain(
      'TypeError: cannot marshal None unless allow_none is enabled',
    );
    expect(e.fake.calls.map((c) => c.method)).toEqual(['returns_none']);
  });

  it('answers a truncated body with expat wording', async () => {
    const e = await start();
    const res = await post(
      e,
      '/xmlrpc/2/object',
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>x</methodName>\n<params>\n",
    );
    expect(fault(res.body).faultString).toContain(
      'xml.parsers.expat.ExpatError: no element found: line 5, column 0',
    );
  });

  it('wraps answers as each version does', async () => {
    const e17 = await startEmulator({ orm: fakeOrm('odoo17'), odooVersion: '17.0' });
    try {
      const body = encodeMethodCall('version', []);
      expect((await post(e17, '/xmlrpc/2/common', body)).body).toMatch(/^<\?xml version='1.0'\?>/);
    } finally {
      await e17.close();
    }
    const e = await start();
    expect((await post(e, '/xmlrpc/2/common', encodeMethodCall('version', []))).body).toMatch(
      /^<\?xml version="1.0"\?>\n<methodResponse>[\s\S]*\n\n<\/methodResponse>\n$/,
    );
  });

  it('refuses GET with 405', async () => {
    const e = await start();
    const res = await request(`${e.url}/xmlrpc/2/object`);
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST');
    await res.body.text();
    expect(e.log.unexpected()).toHaveLength(1);
  });
});

describe('JSON-RPC', () => {
  it('leaves the result key out for None and uses code 0 on 19, 200 before', async () => {
    const e = await start();
    const none = await jsonrpc(e, 'object', 'execute_kw', [
      'odoo',
      2,
      'admin',
      'res.partner',
      'returns_none',
      [[1]],
    ]);
    expect(none.body).toBe('{"jsonrpc": "2.0", "id": 1}');
    const err = JSON.parse(
      (await jsonrpc(e, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.partner', 'user_error', [[1]]]))
        .body,
    );
    expect(err.error.code).toBe(0);
    expect(err.error.data.name).toBe('odoo.exceptions.UserError');

    const e18 = await startEmulator({ orm: fakeOrm('odoo18'), odooVersion: '18.0' });
    try {
      const old = JSON.parse(
        (
          await jsonrpc(e18, 'object', 'execute_kw', [
            'odoo18',
            2,
            'admin',
            'res.partner',
            'user_error',
            [[1]],
          ])
        ).body,
      );
      expect(old.error.code).toBe(200);
    } finally {
      await e18.close();
    }
  });

  it('reports an unknown database as psycopg2 does, and bad credentials as AccessDenied', async () => {
    const e = await start();
    const db = JSON.parse(
      (await jsonrpc(e, 'object', 'execute_kw', ['nodb', 2, 'admin', 'res.partner', 'read', []])).body,
    );
    expect(db.error.data.name).toBe('psycopg2.OperationalError');
    expect(db.error.data.message).toContain('database "nodb" does not exist');
    const denied = JSON.parse(
      (await jsonrpc(e, 'object', 'execute_kw', ['odoo', 2, 'bad', 'res.partner', 'read', []])).body,
    );
    expect(denied.error.data).toMatchObject({
      name: 'odoo.exceptions.AccessDenied',
      message: 'Access Denied',
    });
    expect(denied.error.data.debug).toBe('odoo.exceptions.AccessDenied: Access Denied\n');
    expect(
      JSON.parse((await jsonrpc(e, 'common', 'authenticate', ['odoo', 'admin', 'bad', {}])).body).result,
    ).toBe(false);
  });

  it('answers a non-JSON body with a bare 400 and a non-JSON content type with 415', async () => {
    const e = await start();
    const bad = await post(e, '/jsonrpc', '{"jsonrpc":', { 'content-type': 'application/json' });
    expect([bad.status, bad.headers['content-type'], bad.body]).toEqual([
      400,
      'text/html; charset=utf-8',
      'Invalid JSON data',
    ]);
    const text = await post(e, '/jsonrpc', '{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body).toContain('is type=&#39;jsonrpc&#39;');
  });

  it('names unknown services and methods as Odoo does', async () => {
    const e = await start();
    const svc = JSON.parse((await jsonrpc(e, 'nope', 'x', [])).body);
    expect(svc.error.data).toMatchObject({ name: 'builtins.KeyError', message: "'nope'" });
    const method = JSON.parse((await jsonrpc(e, 'common', 'nope', [])).body);
    expect(method.error.data).toMatchObject({
      name: 'builtins.Exception',
      message: 'Method not found: nope',
    });
    const obj = JSON.parse((await jsonrpc(e, 'object', 'nope', ['odoo', 2, 'admin'])).body);
    expect(obj.error.data).toMatchObject({
      name: 'builtins.NameError',
      message: 'Method not available nope',
    });
  });
});

describe('JSON-2', () => {
  const headers = {
    'content-type': 'application/json',
    authorization: 'bearer KEY',
    'x-odoo-database': 'odoo',
  };

  it('answers None as null, unknown models and methods as 404 NotFound', async () => {
    const e = await start();
    expect((await post(e, '/json/2/res.partner/returns_none', '{"ids": [1]}', headers)).body).toBe('null');
    const model = await post(e, '/json/2/no.model/no_model', '{}', headers);
    expect(model.status).toBe(404);
    expect(JSON.parse(model.body)).toMatchObject({
      name: 'werkzeug.exceptions.NotFound',
      message: "the model 'no.model' does not exist",
      arguments: ["the model 'no.model' does not exist", 404],
    });
    const method = await post(e, '/json/2/res.partner/no_method', '{}', headers);
    expect([method.status, JSON.parse(method.body).name]).toEqual([404, 'werkzeug.exceptions.NotFound']);
  });

  it('maps exception classes to statuses', async () => {
    const e = await start();
    const status = async (m: string) => (await post(e, `/json/2/res.partner/${m}`, '{}', headers)).status;
    expect(await status('access')).toBe(403);
    expect(await status('missing')).toBe(404);
    expect(await status('validation')).toBe(422);
    expect(await status('value_error')).toBe(500);
  });

  it('checks the database, the media type and the key before the call', async () => {
    const e = await start();
    expect(
      (await post(e, '/json/2/res.partner/read', '{}', { ...headers, 'x-odoo-database': 'nope' })).status,
    ).toBe(404);
    expect(
      (await post(e, '/json/2/res.partner/read', '{}', { ...headers, 'content-type': 'text/plain' })).status,
    ).toBe(415);
    const bad = await post(e, '/json/2/res.partner/read', '{}', { ...headers, authorization: 'bearer nope' });
    expect([bad.status, bad.headers['www-authenticate'], JSON.parse(bad.body).message]).toEqual([
      401,
      'Bearer ',
      'Invalid apikey',
    ]);
    expect(e.fake.calls).toEqual([]);
  });

  it('passes ids, context and named parameters to the ORM', async () => {
    const e = await start();
    await post(
      e,
      '/json/2/res.partner/read',
      '{"ids": [3], "context": {"lang": "fr_FR"}, "fields": ["name"]}',
      headers,
    );
    expect(e.fake.calls[0]).toEqual({
      uid: 2,
      model: 'res.partner',
      method: 'read',
      style: 'named',
      ids: [3],
      params: { fields: ['name'] },
      context: { lang: 'fr_FR' },
    });
  });

  it('does not exist before 19', async () => {
    const e17 = await startEmulator({ orm: fakeOrm('odoo17'), odooVersion: '17.0' });
    const e18 = await startEmulator({ orm: fakeOrm('odoo18'), odooVersion: '18.0' });
    try {
      const a = await post(e17, '/json/2/res.partner/search_count', '{}', headers);
      expect([a.status, a.headers['content-type']]).toEqual([404, 'text/html;charset=utf-8']);
      const b = await post(e18, '/json/2/res.partner/search_count', '{}', headers);
      expect([b.status, b.headers.location]).toEqual([
        303,
        '/web/login?redirect=%2Fjson%2F2%2Fres.partner%2Fsearch_count%3F',
      ]);
    } finally {
      await e17.close();
      await e18.close();
    }
  });
});

describe('faults', () => {
  const version = (e: Emulator) => jsonrpc(e, 'common', 'version', []);

  it('adds latency', async () => {
    const e = await start({ latencyMs: 60 });
    const t0 = performance.now();
    await version(e);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    e.faults.set({ latencyMs: 0 });
    expect(e.faults.get().latencyMs).toBe(0);
  });

  it('answers 502/503 for the next N requests without reaching Odoo', async () => {
    const e = await start();
    e.faults.set({ httpError: { status: 503, times: 2, retryAfterSeconds: 5 } });
    const a = await executeKw(e, 'read');
    expect([a.status, a.headers['retry-after']]).toEqual([503, '5']);
    expect(a.body).toContain('nginx');
    expect((await executeKw(e, 'read')).status).toBe(503);
    expect((await executeKw(e, 'read')).status).toBe(200);
    expect(e.fake.calls).toHaveLength(1);
    expect(e.log.count({ reachedOdoo: false })).toBe(2);
    expect(e.faults.get().httpError).toBeNull();
  });

  it('draws probabilistic faults from the random source', async () => {
    const draws = [0.1, 0.9];
    const e = await start({
      random: () => draws.shift() ?? 1,
      faults: { httpError: { status: 502, probability: 0.5 } },
    });
    expect((await version(e)).status).toBe(502);
    expect((await version(e)).status).toBe(200);
  });

  it('serves an HTML error page', async () => {
    const e = await start({ faults: { htmlErrorPage: { times: 1, status: 200 } } });
    const res = await version(e);
    expect([res.status, res.headers['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
    expect(res.body).toContain('Internal Server Error');
  });

  it('expires the session of JSON-RPC routes only', async () => {
    const e = await start({ faults: { sessionExpired: { times: 1 } } });
    expect((await post(e, '/xmlrpc/2/common', encodeMethodCall('version', []))).status).toBe(200);
    const res = JSON.parse((await jsonrpc(e, 'common', 'version', [], 7)).body);
    expect(res).toMatchObject({
      id: 7,
      error: {
        code: 100,
        message: 'Odoo Session Expired',
        data: { name: 'odoo.http.SessionExpiredException', message: 'Session expired' },
      },
    });
    expect(JSON.parse((await version(e)).body).result).toBeDefined();
  });

  it('resets the connection mid-body after Odoo answered', async () => {
    const e = await start({ faults: { resetMidBody: { times: 1 } } });
    await expect(
      (async () => {
        const res = await request(`${e.url}/jsonrpc`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            method: 'call',
            params: { service: 'common', method: 'version', args: [] },
          }),
        });
        return res.body.text();
      })(),
    ).rejects.toThrow();
    expect(e.log.entries[0]).toMatchObject({ fault: 'resetMidBody', reachedOdoo: true });
    expect((await version(e)).status).toBe(200);
  });

  it('trickles a slow body', async () => {
    const e = await start({ faults: { slowBody: { chunkBytes: 40, delayMs: 30 } } });
    const t0 = performance.now();
    const res = await version(e);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect(JSON.parse(res.body).result.server_serie).toBe('19.0');
  });

  it('refuses connections while stopped, keeps the data and the port over a restart', async () => {
    const e = await start();
    await executeKw(e, 'read');
    await e.stop();
    await expect(version(e)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await e.restart();
    expect((await version(e)).status).toBe(200);
    expect(e.fake.calls).toHaveLength(1);
    expect(e.fake.resets).toBe(0);
  });

  it('reset() restores the seed, the log and the start-up faults', async () => {
    const e = await start({ faults: { httpError: { status: 502, times: 1 } } });
    expect((await version(e)).status).toBe(502);
    e.faults.clear();
    e.reset();
    expect(e.fake.resets).toBe(1);
    expect(e.log.count()).toBe(0);
    expect((await version(e)).status).toBe(502);
  });
});

describe('request log', () => {
  it('records the protocol, the RPC method and the model call, and flags unknown routes', async () => {
    const e = await start();
    await executeKw(e, 'read');
    await post(e, '/nowhere', '');
    expect(e.log.entries[0]).toMatchObject({
      method: 'POST',
      path: '/xmlrpc/2/object',
      protocol: 'xmlrpc',
      service: 'object',
      rpcMethod: 'execute_kw',
      model: 'res.partner',
      modelMethod: 'read',
      status: 200,
      reachedOdoo: true,
      unexpected: false,
    });
    expect(e.log.count({ protocol: 'xmlrpc' })).toBe(1);
    expect(() => e.log.assertNoUnexpected()).toThrow(/POST \/nowhere -> 404/);
  });

  it('keeps the most recent entries only', async () => {
    const e = await start({ logLimit: 2 });
    for (const m of ['a', 'b', 'c']) await executeKw(e, m);
    expect(e.log.total).toBe(3);
    expect(e.log.entries.map((x) => x.modelMethod)).toEqual(['b', 'c']);
  });
});

describe('Python JSON', () => {
  it('dumps with Python separators and float repr', () => {
    expect(pyJsonDumps({ a: [1, 2.5, null, true], b: 'é' })).toBe('{"a": [1, 2.5, null, true], "b": "é"}');
    expect(pyFloatRepr(1e-7)).toBe('1e-07');
    expect(pyFloatRepr(1.5e16)).toBe('1.5e+16');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
  });

  it('reports decode errors in Python words', () => {
    const message = (doc: string) => {
      try {
        pyJsonLoads(doc);
      } catch (err) {
        if (err instanceof PyJsonDecodeError) return err.message;
      }
      return 'no error';
    };
    expect(message('{"domain": [')).toBe('Expecting value: line 1 column 13 (char 12)');
    expect(message('')).toBe('Expecting value: line 1 column 1 (char 0)');
    expect(message('{"a" 1}')).toBe("Expecting ':' delimiter: line 1 column 6 (char 5)");
    expect(message('{"a": 1,}')).toBe(
      'Expecting property name enclosed in double quotes: line 1 column 9 (char 8)',
    );
    expect(message('[1 2]')).toBe("Expecting ',' delimiter: line 1 column 4 (char 3)");
    expect(message('{}\n x')).toBe('Extra data: line 2 column 2 (char 4)');
    expect(message('"abc')).toBe('Unterminated string starting at: line 1 column 1 (char 0)');
    expect(pyJsonLoads('{"a": [1, -2.5e3, "x\\n"], "b": NaN}')).toEqual({
      a: [1, -2500, 'x\n'],
      b: Number.NaN,
    });
  });
});
