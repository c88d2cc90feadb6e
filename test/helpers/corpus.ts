// Reads the recorded Odoo contract corpus copied into test/fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VERSIONS = ['15.0', '16.0', '17.0', '18.0', '19.0'] as const;
export type CorpusVersion = (typeof VERSIONS)[number];

export interface RecordedCase {
  case: string;
  protocol: 'xmlrpc' | 'jsonrpc' | 'json2' | 'http';
  odoo_version: string;
  description: string;
  skipped?: boolean;
  note?: string;
  request: { method: string; path: string; headers: Record<string, string>; body: string | null };
  response: { status: number; headers: Record<string, string>; body: string };
}

export interface CorpusIndex {
  database: string;
  users: Record<string, { login: string; uid: number; api_key_placeholder: string }>;
}

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'odoo-contract');

export function loadCases(version: CorpusVersion): RecordedCase[] {
  const dir = join(FIXTURES, version, 'cases');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RecordedCase);
}

export function loadIndex(version: CorpusVersion): CorpusIndex {
  return JSON.parse(readFileSync(join(FIXTURES, version, 'index.json'), 'utf8')) as CorpusIndex;
}

export function findCase(
  version: CorpusVersion,
  name: string,
  protocol: RecordedCase['protocol'],
): RecordedCase {
  const found = loadCases(version).find((c) => c.case === name && c.protocol === protocol);
  if (!found) throw new Error(`no recorded case ${name}.${protocol} for ${version}`);
  return found;
}
