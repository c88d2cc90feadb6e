// Compares one era's results of the official MCP conformance suite (its -o output directory, one
// folder per scenario with checks.json) with conformance/expected-failures.json. Fails on any check
// that fails without being listed, and on a listed check that now passes (the list only shrinks).
// Usage: node --import tsx scripts/conformance-compare.ts <era> <results-dir>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}
type Expected = Record<string, { reason: string; checks: string[] }>;

const [era, dir] = process.argv.slice(2);
if (!era || !dir) {
  process.stderr.write('usage: conformance-compare.ts <era> <results-dir>\n');
  process.exit(2);
}
const all = JSON.parse(
  readFileSync(new URL('../conformance/expected-failures.json', import.meta.url), 'utf8'),
);
const expected = (all[era] ?? {}) as Expected;

const results = new Map<string, Check[]>();
for (const entry of readdirSync(dir, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const scenario = entry.name.replace(/^server-/, '').replace(/-\d{4}-\d\d-\d\dT[\d-]+Z$/, '');
  try {
    results.set(scenario, JSON.parse(readFileSync(join(dir, entry.name, 'checks.json'), 'utf8')) as Check[]);
  } catch {
    results.set(scenario, [{ id: 'checks.json', status: 'FAILURE', errorMessage: 'no checks.json written' }]);
  }
}

const problems: string[] = [];
let passed = 0;
let expectedFailures = 0;
for (const [scenario, checks] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
  const failing = checks.filter((c) => c.status === 'FAILURE');
  const allowed = new Set(expected[scenario]?.checks ?? []);
  for (const c of failing) {
    if (!allowed.has(c.id)) {
      problems.push(`${era} ${scenario}: check ${c.id} failed: ${(c.errorMessage ?? '').slice(0, 300)}`);
    }
  }
  const failingIds = new Set(failing.map((c) => c.id));
  for (const id of allowed) {
    if (!failingIds.has(id)) {
      problems.push(
        `${era} ${scenario}: check ${id} is listed as an expected failure but did not fail; remove it from conformance/expected-failures.json`,
      );
    }
  }
  if (failing.length === 0) passed++;
  else if (failing.every((c) => allowed.has(c.id))) expectedFailures++;
}
for (const scenario of Object.keys(expected)) {
  if (!results.has(scenario)) problems.push(`${era} ${scenario}: listed as expected to fail but did not run`);
}

process.stdout.write(
  `conformance ${era}: ${results.size} scenarios; ${passed} passed, ${expectedFailures} expected failures (suite fixtures or optional features), ${results.size - passed - expectedFailures} unexpected\n`,
);
for (const p of problems) process.stdout.write(`  UNEXPECTED ${p}\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
