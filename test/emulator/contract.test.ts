// The emulator against the recorded corpus: every exchange of 15.0 to 19.0 is replayed
// (request as recorded, Host aside) against one emulator per version, in recording order, so that
// state and ids carry over between cases as they did on the real server. The answer must have the
// recorded status, content type, shape, error class and message, and the recorded values where the
// seed makes them reproducible.
//
// KNOWN_MISMATCHES only shrinks: a listed case that starts matching fails the run, and so does an
// unlisted case that stops matching.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { compareCase, orderedCases, send } from '../helpers/contract.js';
import { VERSIONS } from '../helpers/corpus.js';

/**
 * `<version>/<case>.<protocol>` -> why it cannot match yet ('orm: ...' when the store is at fault).
 * Empty: every recorded exchange is reproduced, images and computed fields included.
 */
const KNOWN_MISMATCHES: Record<string, string> = {};

for (const version of VERSIONS) {
  describe(`Odoo ${version} corpus against the emulator`, () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startEmulator({ odooVersion: version });
    });
    afterAll(async () => {
      await emu?.close();
    });

    const cases = orderedCases(version);
    for (const c of cases) {
      const key = `${version}/${c.case}.${c.protocol}`;
      it(key, async () => {
        const problems = compareCase(c, await send(emu, c));
        const known = KNOWN_MISMATCHES[key];
        if (known) {
          expect(problems, `${key} now matches: remove it from KNOWN_MISMATCHES (${known})`).not.toEqual([]);
        } else {
          expect(problems).toEqual([]);
        }
      });
    }

    it('served each case with exactly one request', () => {
      expect(emu.log.count()).toBe(cases.length);
    });
  });
}

it('lists only cases that exist', () => {
  const all = new Set(VERSIONS.flatMap((v) => orderedCases(v).map((c) => `${v}/${c.case}.${c.protocol}`)));
  expect(Object.keys(KNOWN_MISMATCHES).filter((k) => !all.has(k))).toEqual([]);
});
