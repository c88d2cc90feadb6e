// The emulator's seed: fields_get and records recorded from a real Odoo of each version
// (data/emulator/<version>/). Parsed once per version and shared; stores clone what they mutate.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FieldMap, OdooVersion, Row } from './types.js';

export interface SeedModel {
  readonly name: string;
  readonly fields: FieldMap;
  /** Rows in id order, many2one values reduced to bare ids. */
  readonly rows: readonly Row[];
}

export interface IrModelEntry {
  id: number;
  model: string;
  name: string;
  transient: boolean;
  modules: string;
}

export interface Seed {
  readonly version: OdooVersion;
  readonly models: ReadonlyMap<string, SeedModel>;
  readonly irModels: readonly IrModelEntry[];
  /**
   * display_name of every record some many2one in the seed points at, as Odoo rendered it.
   * It covers models that are not seeded (utm.campaign, account.account...) and computed names
   * the emulator cannot rebuild (product variants with attribute values).
   */
  readonly names: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

// Resolves to <repo>/data/emulator/ from src/emulator/orm (tsx, vitest) and dist/emulator/orm (tsc).
const SEED_ROOT = new URL('../../../data/emulator/', import.meta.url);

const cache = new Map<OdooVersion, Seed>();

export function seedDirectory(version: OdooVersion): string {
  return fileURLToPath(new URL(`${version}/`, SEED_ROOT));
}

/** The parsed seed of a version, loaded on first use and cached for the process. */
export function loadSeed(version: OdooVersion): Seed {
  const hit = cache.get(version);
  if (hit) return hit;
  const seed = parseSeed(version);
  cache.set(version, seed);
  return seed;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function parseSeed(version: OdooVersion): Seed {
  const dir = seedDirectory(version);
  const files = readdirSync(dir);
  const names = new Map<string, Map<number, string>>();
  const remember = (model: string, id: number, name: string) => {
    let m = names.get(model);
    if (!m) {
      m = new Map();
      names.set(model, m);
    }
    if (!m.has(id)) m.set(id, name);
  };
  const models = new Map<string, SeedModel>();
  for (const file of files.filter((f) => f.endsWith('.fields.json')).sort()) {
    const name = file.slice(0, -'.fields.json'.length);
    const fields = readJson(`${dir}${file}`) as FieldMap;
    const recordsFile = `${name}.records.json`;
    const raw = files.includes(recordsFile)
      ? (readJson(`${dir}${recordsFile}`) as Record<string, unknown>[])
      : [];
    const rows: Row[] = [];
    for (const record of raw) {
      const row: Row = { id: record.id as number };
      for (const [key, value] of Object.entries(record)) {
        if (key === 'id') continue;
        const def = fields[key];
        if (def?.type === 'many2one' && Array.isArray(value)) {
          const [id, label] = value as [number, string];
          row[key] = id;
          if (def.relation) remember(def.relation, id, label);
        } else {
          row[key] = value;
        }
      }
      rows.push(row);
    }
    rows.sort((a, b) => a.id - b.id);
    models.set(name, { name, fields, rows });
  }
  const irModels = (readJson(`${dir}ir.model.json`) as IrModelEntry[]).slice().sort((a, b) => a.id - b.id);
  return { version, models, irModels, names };
}
