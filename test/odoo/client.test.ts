// The client's own behaviour: protocol choice, login and its renewal, retries, the pool cap,
// timeouts and the failures of the network, against a loopback server scripted per test.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OdooClient } from '../../src/odoo/client.js';
import { AuthError, NetworkError, OutcomeUnknownError, ProtocolError } from '../../src/odoo/errors.js';
import { type CorpusVersion, findCase } from '../helpers/corpus.js';
import { type HttpStub, type StubReply, type StubRequest, startHttpStub } from '../helpers/http-stub.js';

const KEY = 'ADMIN_API_KEY_40_HEX_PLACEHOLDER_0000000';
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

let stub: HttpStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function replay(
  version: CorpusVersion,
  name: string,
  protocol: 'xmlrpc' | 'jsonrpc' | 'json2' | 'http',
): StubReply {
  const c = findCase(version, name, protocol);
  return { status: c.response.status, headers: c.response.headers, body: c.response.body };
}

function rpc(req: StubRequest): { service: string; method: string; args: unknown[] } {
  return (JSON.parse(req.body) as { params: { service: string; method: string; args: unknown[] } }).params;
}

function jsonResult(result: unknown): StubReply {
  return { headers: JSON_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 1, result }) };
}

/** A JSON-RPC Odoo of the given version whose object calls are answered by `onCall`. */
function jsonrpcOdoo(version: CorpusVersion, onCall: (method: string, args: unknown[]) => StubReply) {
  return (req: StubRequest): StubReply => {
    if (req.path === '/web/version') return replay(version, 'http_web_version', 'http');
    if (req.path === '/json/2/res.users/context_get') {
      return version === '19.0'
        ? replay(version, 'res_users_context_get', 'json2')
        : replay(version, 'json2_probe', 'json2');
    }
    if (req.path !== '/jsonrpc') throw new Error(`unexpected ${req.path}`);
    const p = rpc(req);
    if (p.service === 'common' && p.method === 'version') return replay(version, 'common_version', 'jsonrpc');
    if (p.service === 'common' && p.method === 'authenticate')
      return jsonResult(p.args[2] === KEY ? 2 : false);
    return onCall(String(p.args[4]), p.args);
  };
}

function client(url: string, over: Partial<ConstructorParameters<typeof OdooClient>[0]> = {}) {
  return new OdooClient({
    url,
    database: 'odoo',
    username: 'admin',
    apiKey: KEY,
    retryBaseMs: 5,
    timeoutMs: 2000,
    ...over,
  });
}

describe('protocol choice (auto)', () => {
  it.each(['15.0', '16.0', '17.0', '18.0'] as const)(
    'uses JSON-RPC on %s, found through common.version',
    async (version) => {
      stub = await startHttpStub(jsonrpcOdoo(version, () => jsonResult(101)));
      const c = client(stub.url);
      const info = await c.connect();
      expect(info).toMatchObject({ protocol: 'jsonrpc', major: Number.parseInt(version, 10), uid: 2 });
      expect(info.reason).toContain('no JSON-2 API');
      expect(await c.searchCount('res.partner')).toBe(101);
      await c.close();
    },
  );

  it('uses JSON-2 on 19 when an API key is set, detected by a JSON answer', async () => {
    stub = await startHttpStub((req) => {
      if (req.path === '/web/version') return replay('19.0', 'http_web_version', 'http');
      if (req.path === '/json/2/res.users/context_get')
        return replay('19.0', 'res_users_context_get', 'json2');
      if (req.path === '/json/2/res.partner/search_count') return replay('19.0', 'json2_probe', 'json2');
      throw new Error(`unexpected ${req.path}`);
    });
    const c = client(stub.url);
    const info = await c.connect();
    expect(info).toMatchObject({ protocol: 'json2', major: 19, uid: 2 });
    expect(await c.searchCount('res.partner')).toBe(101);
    // Probe and login share one context_get: version, context_get, the call.
    expect(stub.requests.map((r) => r.path)).toEqual([
      '/web/version',
      '/json/2/res.users/context_get',
      '/json/2/res.partner/search_count',
    ]);
    await c.close();
  });

  it('falls back to JSON-RPC on 19 when JSON-2 answers a redirect to the login page', async () => {
    const base = jsonrpcOdoo('19.0', () => jsonResult(7));
    stub = await startHttpStub((req) =>
      req.path === '/json/2/res.users/context_get' ? replay('18.0', 'json2_probe', 'json2') : base(req),
    );
    const c = client(stub.url);
    const info = await c.connect();
    expect(info.protocol).toBe('jsonrpc');
    expect(info.reason).toMatch(/did not answer JSON-2 with JSON .*303/);
    await c.close();
  });

  it('uses JSON-RPC on 19 with only a password', async () => {
    stub = await startHttpStub((req) => {
      if (req.path === '/web/version') return replay('19.0', 'http_web_version', 'http');
      const p = rpc(req);
      if (p.method === 'authenticate') return jsonResult(p.args[2] === 'admin' ? 2 : false);
      throw new Error('unexpected');
    });
    const c = client(stub.url, { apiKey: undefined, password: 'admin' });
    expect(await c.connect()).toMatchObject({ protocol: 'jsonrpc', uid: 2 });
    await c.close();
  });

  it('falls back to XML-RPC when JSON-RPC is not there', async () => {
    stub = await startHttpStub((req) => {
      if (req.path === '/xmlrpc/2/common' && req.body.includes('<methodName>version<'))
        return replay('17.0', 'common_version', 'xmlrpc');
      if (req.path === '/xmlrpc/2/common') return replay('17.0', 'common_authenticate_apikey', 'xmlrpc');
      return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not Found</html>' };
    });
    const c = client(stub.url);
    expect(await c.connect()).toMatchObject({ protocol: 'xmlrpc', uid: 2 });
    await c.close();
  });
});

describe('authentication', () => {
  it('turns authenticate() == false into an AuthError that names the database', async () => {
    stub = await startHttpStub(jsonrpcOdoo('17.0', () => jsonResult(1)));
    const c = client(stub.url, { apiKey: 'wrong-key-wrong-key' });
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe(
      'Authentication failed: check username and api_key, and that database odoo exists',
    );
    await c.close();
  });

  it('caches the uid and logs in again after session_timeout_minutes', async () => {
    stub = await startHttpStub(jsonrpcOdoo('17.0', () => jsonResult(3)));
    const c = client(stub.url, { sessionTimeoutMs: 60 });
    await c.searchCount('res.partner');
    await c.searchCount('res.partner');
    const logins = () => stub?.requests.filter((r) => r.body.includes('"authenticate"')).length;
    expect(logins()).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    await c.searchCount('res.partner');
    expect(logins()).toBe(2);
    await c.close();
  });

  it('logs in again and resends once when the session expired (code 100)', async () => {
    let expired = true;
    stub = await startHttpStub(
      jsonrpcOdoo('17.0', () => {
        if (expired) {
          expired = false;
          return {
            headers: JSON_HEADERS,
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: 1,
              error: {
                code: 100,
                message: 'Odoo Session Expired',
                data: { name: 'odoo.http.SessionExpiredException' },
              },
            }),
          };
        }
        return jsonResult(9);
      }),
    );
    const c = client(stub.url);
    expect(await c.searchCount('res.partner')).toBe(9);
    await c.close();
  });
});

describe('retries', () => {
  it('retries reads after a 502 burst and succeeds', async () => {
    let failures = 2;
    stub = await startHttpStub(
      jsonrpcOdoo('17.0', () => {
        if (failures-- > 0)
          return { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad Gateway</h1>' };
        return jsonResult(42);
      }),
    );
    const c = client(stub.url, { retries: 2 });
    expect(await c.searchCount('res.partner')).toBe(42);
    await c.close();
  });

  it('gives up on reads after `retries` and says Odoo is unavailable', async () => {
    stub = await startHttpStub(jsonrpcOdoo('17.0', () => ({ status: 503, body: 'down' })));
    const c = client(stub.url, { retries: 1 });
    const err = await c.searchCount('res.partner').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).kind).toBe('unavailable');
    const calls = stub.requests.filter((r) => r.body.includes('execute_kw')).length;
    expect(calls).toBe(2);
    await c.close();
  });

  it('never retries a write, and says its outcome is unknown when a gateway answered for Odoo', async () => {
    stub = await startHttpStub(jsonrpcOdoo('17.0', () => ({ status: 502, body: 'bad gateway' })));
    const c = client(stub.url, { retries: 3 });
    for (const attempt of [
      c.write('res.partner', [1], { name: 'x' }),
      c.create('res.partner', { name: 'x' }),
    ]) {
      const err = await attempt.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutcomeUnknownError);
      expect((err as OutcomeUnknownError).failure).toBeInstanceOf(NetworkError);
    }
    expect(stub.requests.filter((r) => r.body.includes('execute_kw')).length).toBe(2);
    await c.close();
  });

  it('retries a read whose connection was reset, but not a write', async () => {
    let resets = 1;
    stub = await startHttpStub(
      jsonrpcOdoo('17.0', (method) => {
        if (method === 'search_count' && resets-- > 0)
          return { reset: true, partial: '{"jsonrpc": "2.0", "id"' };
        if (method === 'unlink') return { reset: true };
        return jsonResult(5);
      }),
    );
    const c = client(stub.url);
    expect(await c.searchCount('res.partner')).toBe(5);
    const err = await c.unlink('res.partner', [1]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    const failure = (err as OutcomeUnknownError).failure;
    expect(failure).toBeInstanceOf(NetworkError);
    expect((failure as NetworkError).kind).toBe('reset');
    expect(stub.requests.filter((r) => r.body.includes('"unlink"')).length).toBe(1);
    await c.close();
  });

  it('reports success with no value, without retrying, when XML-RPC cannot marshal None', async () => {
    stub = await startHttpStub((req) => {
      if (req.body.includes('<methodName>version<')) return replay('17.0', 'common_version', 'xmlrpc');
      if (req.body.includes('<methodName>authenticate<'))
        return replay('17.0', 'common_authenticate_apikey', 'xmlrpc');
      return replay('17.0', 'partner_action_archive_returns_none', 'xmlrpc');
    });
    const c = client(stub.url, { protocol: 'xmlrpc' });
    expect(await c.execute('res.partner', 'action_archive', { ids: [110] })).toBeNull();
    expect(stub.requests.filter((r) => r.body.includes('action_archive')).length).toBe(1);
    await c.close();
  });
});

describe('network failures', () => {
  it('says "Could not connect" when the connection is refused', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const c = client(`http://127.0.0.1:${port}`, { retries: 1 });
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).kind).toBe('refused');
    expect((err as Error).message).toBe(
      `Could not connect to Odoo server at http://127.0.0.1:${port} (connection refused)`,
    );
    await c.close();
  });

  it('times out a slow answer with a hint', async () => {
    stub = await startHttpStub(() => ({ delayMs: 500, body: '{}' }));
    const c = client(stub.url, { timeoutMs: 100 });
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).kind).toBe('timeout');
    expect((err as Error).message).toMatch(/did not answer within 0.1 s \(raise "timeout"/);
    await c.close();
  });

  it('calls an HTML 404 a protocol error, not a crash', async () => {
    stub = await startHttpStub(() => ({
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: '<!DOCTYPE html><html><body>Not Found</body></html>',
    }));
    const c = client(stub.url, { protocol: 'jsonrpc' });
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toBe(
      `Protocol error: ${stub.url}/jsonrpc answered HTTP 404 with an HTML page instead of a JSON-RPC answer`,
    );
    await c.close();
  });

  it('calls a truncated JSON body a protocol error', async () => {
    stub = await startHttpStub(() => ({ headers: JSON_HEADERS, body: '{"jsonrpc": "2.0", "id": 1, "resu' }));
    const c = client(stub.url, { protocol: 'jsonrpc' });
    await expect(c.connect()).rejects.toThrow(/answered with malformed JSON/);
    await c.close();
  });

  it('caps concurrent requests at pool_size and queues the rest', async () => {
    let inFlight = 0;
    let peak = 0;
    stub = await startHttpStub(
      jsonrpcOdoo('17.0', () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        return new Promise<StubReply>((resolve) =>
          setTimeout(() => {
            inFlight--;
            resolve(jsonResult(1));
          }, 30),
        ) as unknown as StubReply;
      }),
    );
    const c = client(stub.url, { poolSize: 3 });
    await c.connect();
    const pending = Array.from({ length: 12 }, () => c.searchCount('res.partner'));
    await new Promise((r) => setTimeout(r, 10));
    expect(c.transportStats.inFlight).toBe(3);
    expect(c.transportStats.queued).toBe(9);
    expect(await Promise.all(pending)).toEqual(Array(12).fill(1));
    expect(peak).toBe(3);
    await c.close();
  });
});

describe('typed helpers', () => {
  it('normalizes values with cached field types and sends one request per read once cached', async () => {
    stub = await startHttpStub(
      jsonrpcOdoo('17.0', (method) => {
        if (method === 'fields_get')
          return jsonResult({
            name: { type: 'char' },
            parent_id: { type: 'many2one', relation: 'res.partner' },
            is_company: { type: 'boolean' },
            category_id: { type: 'many2many', relation: 'res.partner.category' },
            comment: { type: 'html' },
          });
        return jsonResult([
          {
            id: 23,
            name: 'Anita',
            parent_id: [10, 'Gemini Furniture'],
            is_company: false,
            category_id: false,
            comment: false,
          },
        ]);
      }),
    );
    const c = client(stub.url);
    const rows = await c.searchRead('res.partner', {
      fields: ['name', 'parent_id', 'is_company', 'category_id', 'comment'],
    });
    expect(rows).toEqual([
      {
        id: 23,
        name: 'Anita',
        parent_id: { id: 10, name: 'Gemini Furniture' },
        is_company: false,
        category_id: [],
        comment: null,
      },
    ]);
    const before = stub.requests.length;
    await c.searchRead('res.partner', { fields: ['name'] });
    expect(stub.requests.length - before).toBe(1);
    await c.close();
  });

  it('create returns an int for one dict and a list for a list, on every protocol', async () => {
    stub = await startHttpStub((req) => {
      if (req.path === '/web/version') return replay('19.0', 'http_web_version', 'http');
      if (req.path === '/json/2/res.users/context_get')
        return replay('19.0', 'res_users_context_get', 'json2');
      const body = JSON.parse(req.body) as { vals_list: unknown[] };
      return { headers: JSON_HEADERS, body: JSON.stringify(body.vals_list.map((_, i) => 100 + i)) };
    });
    const c = client(stub.url);
    expect(await c.create('res.partner', { name: 'A' })).toBe(100);
    expect(await c.create('res.partner', [{ name: 'A' }, { name: 'B' }])).toEqual([100, 101]);
    await c.close();
  });

  it('sends read_group before 19 and formatted_read_group from 19', async () => {
    const seen: string[] = [];
    stub = await startHttpStub(
      jsonrpcOdoo('18.0', (method) => {
        seen.push(method);
        return jsonResult([]);
      }),
    );
    const c = client(stub.url);
    await c.readGroup('sale.order', { groupby: ['partner_id'], aggregates: ['amount_total:sum', '__count'] });
    expect(seen).toEqual(['read_group']);
    await c.close();
  });

  it.each(['15.0', '16.0', '17.0', '18.0'] as const)(
    '%s: a page of records in one web_search_read, in the form the version takes, many2one as [id, name]',
    async (version) => {
      const sent: Array<Record<string, unknown>> = [];
      stub = await startHttpStub(
        jsonrpcOdoo(version, (method, args) => {
          if (method === 'fields_get') return replay(version, 'partner_fields_get_all', 'jsonrpc');
          sent.push(args[6] as Record<string, unknown>);
          // The recorded answer of sale.order web_search_read (partner_id, order_line among its fields).
          return replay(version, 'sale_order_web_search_read', 'jsonrpc');
        }),
      );
      const c = client(stub.url);
      const page = await c.searchPage('res.partner', {
        domain: [],
        fields: ['name', 'parent_id', 'child_ids'],
        offset: 0,
        limit: 3,
      });
      expect(sent).toHaveLength(1);
      const kwargs = sent[0] ?? {};
      if (Number.parseInt(version, 10) >= 17) {
        expect(kwargs.specification).toEqual({
          name: {},
          parent_id: { fields: { display_name: {} } },
          child_ids: {},
        });
        expect(kwargs).not.toHaveProperty('fields');
      } else {
        expect(kwargs.fields).toEqual(['name', 'parent_id', 'child_ids']);
        expect(kwargs).not.toHaveProperty('specification');
      }
      expect(page.length).toBeGreaterThan(0);
      expect(page.records.length).toBeGreaterThan(0);
      await c.close();
    },
  );
});
