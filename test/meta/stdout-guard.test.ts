// stdout belongs to the protocol in stdio mode: only the CLI's own commands may write to it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
// The CLI entry prints --help, doctor and `read` output; nothing it serves in stdio mode goes there.
const ALLOWED = new Set(['cli.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('stdout guard', () => {
  it('no source file outside the CLI entry writes to stdout or uses console', () => {
    const offenders = files(SRC)
      .filter((f) => !ALLOWED.has(relative(SRC, f)))
      .filter((f) =>
        /process\.stdout|console\.(log|info|warn|error|debug)|pino\.destination\(\s*1\s*\)|dest:\s*1\b/.test(
          readFileSync(f, 'utf8'),
        ),
      )
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
