// Compares an answer of the emulator with a recorded exchange of the corpus: status, content type,
// recorded headers, body shape, error class and message, and values where they are reproducible.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { Emulator } from '../../src/emulator/index.js';
import { decodeMethodResponse, XmlRpcDateTime, type XmlRpcValue } from '../../src/odoo/xmlrpc/codec.js';
import { type CorpusVersion, FIXTURES, type RecordedCase } from './corpus.js';

/** Cases whose results are new ids (creates, copies, posted messages): compared by shape only. */
const NEW_IDS = new Set(['partner_create', 'partner_create_multi', 'partner_copy', 'partner_message_post']);
/** Keys whose values depend on when the emulator ran. */
const VOLATILE_KEYS = new Set(['create_date', 'write_date', '__last_update']);
/** Cases reading records whose ids the seed does not carry (ir.model.fields): ids by type only. */
const UNSEEDED_IDS = new Set(['ir_model_fields_partner']);

export function orderedCases(version: CorpusVersion): RecordedCase[] {
  const dir = join(FIXTURES, version);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { files: { file: string }[] };
  return index.files
    .map((f) => JSON.parse(readFileSync(join(dir, f.file), 'utf8')) as RecordedCase)
    .filter((c) => !c.skipped);
}

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function send(emu: Emulator, c: RecordedCase): Promise<Response> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.request.headers)) if (k.toLowerCase() !== 'host') headers[k] = v;
  const res = await request(`${emu.url}${c.request.path}`, {
    method: c.request.method as 'GET' | 'POST',
    headers,
    body: c.request.body === null || c.request.body === '' ? undefined : c.request.body,
  });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

function kind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

interface Policy {
  values: boolean;
  /** `id` keys are compared by type only. */
  unseededIds?: boolean;
}

/** Structural and (optionally) value comparison; returns the differences, empty when equal. */
function compareValue(expected: unknown, actual: unknown, path: string, policy: Policy, out: string[]): void {
  if (out.length > 20) return;
  const ke = kind(expected);
  const ka = kind(actual);
  if (ke !== ka) {
    out.push(`${path}: expected ${ke} ${preview(expected)}, got ${ka} ${preview(actual)}`);
    return;
  }
  if (ke === 'list') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length !== a.length) {
      out.push(`${path}: expected ${e.length} items, got ${a.length}`);
      return;
    }
    e.forEach((item, i) => {
      compareValue(item, a[i], `${path}[${i}]`, policy, out);
    });
    return;
  }
  if (ke === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(e).filter((k) => !(k in a));
    const extra = Object.keys(a).filter((k) => !(k in e));
    if (missing.length || extra.length) {
      out.push(
        `${path}: keys differ, missing [${missing.slice(0, 8).join(', ')}] extra [${extra.slice(0, 8).join(', ')}]`,
      );
      return;
    }
    for (const k of Object.keys(e)) {
      const volatile = VOLATILE_KEYS.has(k) || (k === 'id' && policy.unseededIds === true);
      compareValue(e[k], a[k], `${path}.${k}`, volatile ? { values: false } : policy, out);
    }
    return;
  }
  if (!policy.values) return;
  if (ke === 'number') {
    const e = expected as number;
    const a = actual as number;
    if (Math.abs(e - a) > 1e-6 * Math.max(1, Math.abs(e))) out.push(`${path}: expected ${e}, got ${a}`);
    return;
  }
  if (expected !== actual) out.push(`${path}: expected ${preview(expected)}, got ${preview(actual)}`);
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function xmlPlain(v: XmlRpcValue): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? Number(v) : v;
  if (Array.isArray(v)) return v.map(xmlPlain);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof XmlRpcDateTime) return v.iso;
  return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, xmlPlain(item)]));
}

/** The exception line of a (skeleton) traceback: the type and the first line of the message. */
function lastException(traceback: string): string {
  const parts = traceback.split('Traceback (most recent call last):\n');
  const last = (parts[parts.length - 1] ?? '')
    .split('\n')
    .filter((l) => !l.startsWith('  ') && !l.startsWith('...'));
  return last[0] ?? '';
}

function cookieNames(v: string | string[] | undefined): string[] {
  const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return list.map((c) => (c.split('=')[0] ?? '').trim()).sort();
}

function htmlLandmarks(body: string): string[] {
  const out: string[] = [];
  for (const m of body.matchAll(/<(title|h1|h2)[^>]*>([^<]*)<\/\1>/g)) out.push(`${m[1]}:${m[2]}`);
  return out;
}

function compareError(
  e: Record<string, unknown>,
  a: Record<string, unknown>,
  path: string,
  out: string[],
): void {
  compareValue(Object.keys(e).sort(), Object.keys(a).sort(), `${path} keys`, { values: true }, out);
  for (const k of ['name', 'message', 'arguments', 'context']) {
    compareValue(e[k], a[k], `${path}.${k}`, { values: true }, out);
  }
  if (typeof a.debug !== 'string') out.push(`${path}.debug: not a string`);
}

export function compareCase(c: RecordedCase, r: Response): string[] {
  const out: string[] = [];
  const rec = c.response;
  if (rec.status !== r.status) out.push(`status: expected ${rec.status}, got ${r.status}`);
  for (const [h, v] of Object.entries(rec.headers)) {
    if (h === 'set-cookie') {
      const expected = v
        .split(',')
        .map((s) => s.trim())
        .sort();
      compareValue(expected, cookieNames(r.headers[h]), 'set-cookie names', { values: true }, out);
    } else if (r.headers[h] !== v) {
      out.push(`header ${h}: expected ${JSON.stringify(v)}, got ${JSON.stringify(r.headers[h])}`);
    }
  }
  if (out.length) return out;

  const type = rec.headers['content-type'] ?? '';
  const values: Policy = { values: !NEW_IDS.has(c.case), unseededIds: UNSEEDED_IDS.has(c.case) };
  if (type.startsWith('application/json')) {
    let expected: unknown;
    let actual: unknown;
    try {
      expected = JSON.parse(rec.body);
      actual = JSON.parse(r.body);
    } catch (err) {
      return [`body is not JSON: ${(err as Error).message}: ${preview(r.body)}`];
    }
    // 15.0 answers a JSON request to an unknown path (a JSON-2 probe) with a JSON-RPC envelope.
    const envelope =
      c.protocol === 'jsonrpc' ||
      (c.protocol === 'http' && c.request.method === 'POST') ||
      (kind(expected) === 'object' && 'jsonrpc' in (expected as Record<string, unknown>));
    if (envelope) {
      const e = expected as Record<string, unknown>;
      const a = actual as Record<string, unknown>;
      compareValue(Object.keys(e).sort(), Object.keys(a).sort(), 'envelope keys', { values: true }, out);
      compareValue(e.id, a.id, 'id', { values: true }, out);
      if (e.error && a.error) {
        const ee = e.error as Record<string, unknown>;
        const ae = a.error as Record<string, unknown>;
        compareValue(Object.keys(ee).sort(), Object.keys(ae).sort(), 'error keys', { values: true }, out);
        compareValue(ee.code, ae.code, 'error.code', { values: true }, out);
        if ('http_status' in ee)
          compareValue(ee.http_status, ae.http_status, 'error.http_status', { values: true }, out);
        compareValue(ee.message, ae.message, 'error.message', { values: true }, out);
        compareError(
          ee.data as Record<string, unknown>,
          (ae.data ?? {}) as Record<string, unknown>,
          'error.data',
          out,
        );
      } else if ('result' in e) {
        compareValue(e.result, a.result, 'result', values, out);
      }
    } else if (rec.status >= 400) {
      compareError(expected as Record<string, unknown>, actual as Record<string, unknown>, 'error', out);
    } else {
      compareValue(expected, actual, 'result', values, out);
    }
  } else if (type.startsWith('text/xml')) {
    let expected: ReturnType<typeof decodeMethodResponse>;
    let actual: ReturnType<typeof decodeMethodResponse>;
    try {
      expected = decodeMethodResponse(rec.body);
      actual = decodeMethodResponse(r.body);
    } catch (err) {
      return [`body is not XML-RPC: ${(err as Error).message}: ${preview(r.body)}`];
    }
    if (expected.kind === 'fault') {
      if (actual.kind !== 'fault') return [`expected fault ${expected.fault.faultCode}, got a result`];
      compareValue(expected.fault.faultCode, actual.fault.faultCode, 'faultCode', { values: true }, out);
      const e = expected.fault.faultString;
      const a = actual.fault.faultString;
      if (expected.fault.faultCode === 1)
        compareValue(lastException(e), lastException(a), 'exception', { values: true }, out);
      else compareValue(e, a, 'faultString', { values: true }, out);
    } else {
      if (actual.kind !== 'result')
        return [
          `expected a result, got fault ${actual.fault.faultCode}: ${preview(actual.fault.faultString)}`,
        ];
      compareValue(xmlPlain(expected.value), xmlPlain(actual.value), 'result', values, out);
    }
  } else if (type.startsWith('text/html')) {
    if (rec.body.length < 2000) compareValue(rec.body, r.body, 'body', { values: true }, out);
    else
      compareValue(
        htmlLandmarks(rec.body).filter((l) => !l.startsWith('title')),
        htmlLandmarks(r.body).filter((l) => !l.startsWith('title')),
        'html',
        { values: true },
        out,
      );
  } else {
    compareValue(rec.body, r.body, 'body', { values: true }, out);
  }
  return out;
}
