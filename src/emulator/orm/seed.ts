// The emulator's seed: fields_get and records recorded from a real Odoo of each version
// (data/emulator/<version>/). Parsed once per version and shared; stores clone what they mutate.
// Besides <model>.fields.json / <model>.records.json, a model may have overlays of values the
// dataset could not hold but the recorded corpus has (<model>.images.json, <model>.recorded.json,
// written by scripts/emulator-recorded-values.ts): they are merged into the rows here, once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
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

/** Values of a model the dataset could not hold, from its overlay files. */
export interface SeedOverlay {
  /** Values every record has unless it has its own (company-wide ir.property values): default_get's too. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Values of single records, many2one reduced to bare ids. */
  readonly records: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
  /** Non-stored values that are the same for every record and come from data outside the seed. */
  readonly computed: Readonly<Record<string, unknown>>;
}

export interface Seed {
  readonly version: OdooVersion;
  readonly models: ReadonlyMap<string, SeedModel>;
  /** Overlays by model, seeded or not (a model the seed only points at may have one too). */
  readonly overlays: ReadonlyMap<string, SeedOverlay>;
  readonly irModels: readonly IrModelEntry[];
  /**
   * display_name of every record some many2one in the seed points at, as Odoo rendered it.
   * It covers models that are not seeded (utm.campaign, account.account...) and computed names
   * the emulator cannot rebuild (product variants with attribute values).
   */
  readonly names: ReadonlyMap<string, ReadonlyMap<number, string>>;
}

const seedRoot = () => join(packageRoot(), 'data', 'emulator');

const cache = new Map<OdooVersion, Seed>();

export function seedDirectory(version: OdooVersion): string {
  return `${join(seedRoot(), version)}/`;
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
  const overlays = parseOverlays(dir, files, models, remember);
  for (const [name, overlay] of overlays) {
    const model = models.get(name);
    if (!model) continue;
    for (const row of model.rows as Row[]) {
      for (const [key, value] of Object.entries(overlay.defaults))
        if (row[key] === undefined) row[key] = value;
      Object.assign(row, overlay.records.get(row.id));
    }
  }
  const irModels = (readJson(`${dir}ir.model.json`) as IrModelEntry[]).slice().sort((a, b) => a.id - b.id);
  return { version, models, irModels, names, overlays };
}

/**
 * The image sizes an images overlay leaves out. The extraction leaves out a size equal to
 * image_1920: Odoo keeps the original when it already fits the size, so a missing size is the next
 * larger one recorded. A size with none larger recorded (the corpus read only image_128 of some
 * partner) gets the largest one recorded: a smaller rendition of the same picture, where Odoo
 * would have the original, which no recording holds.
 */
function fillImageSizes(fields: FieldMap, values: Record<string, unknown>): void {
  const sizes = Object.keys(fields)
    .map((name) => /^image_(\d+)$/.exec(name)?.[1])
    .filter((size): size is string => size !== undefined && fields[`image_${size}`]?.type === 'binary')
    .map(Number)
    .sort((a, b) => b - a);
  const recorded = sizes.filter((size) => typeof values[`image_${size}`] === 'string');
  if (!recorded.length) return;
  for (const size of sizes) {
    if (recorded.includes(size)) continue;
    const larger = recorded.filter((r) => r > size).at(-1);
    values[`image_${size}`] = values[`image_${larger ?? recorded[0]}`];
  }
}

const OVERLAY_FILE = /^(.+)\.(images|recorded)\.json$/;

interface OverlayFile {
  defaults?: Record<string, unknown>;
  records?: Record<string, Record<string, unknown>>;
  computed?: Record<string, unknown>;
}

/** The overlay files of a version, merged per model; many2one pairs become ids, their labels remembered. */
function parseOverlays(
  dir: string,
  files: readonly string[],
  models: ReadonlyMap<string, SeedModel>,
  remember: (model: string, id: number, name: string) => void,
): Map<string, SeedOverlay> {
  const out = new Map<string, SeedOverlay>();
  for (const file of files.filter((f) => OVERLAY_FILE.test(f)).sort()) {
    const model = OVERLAY_FILE.exec(file)?.[1] ?? '';
    const fields = models.get(model)?.fields;
    const raw = readJson(`${dir}${file}`) as OverlayFile;
    // [id, label] is a many2one value: by the field's type on a seeded model, by shape elsewhere.
    const reduce = (values: Record<string, unknown> = {}): Record<string, unknown> => {
      const result: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(values)) {
        const def = fields?.[key];
        const pair =
          Array.isArray(value) &&
          value.length === 2 &&
          typeof value[0] === 'number' &&
          typeof value[1] === 'string';
        if (pair && (fields ? def?.type === 'many2one' : true)) {
          const [id, label] = value as [number, string];
          if (def?.relation) remember(def.relation, id, label);
          result[key] = id;
        } else {
          result[key] = value;
        }
      }
      return result;
    };
    const previous = out.get(model);
    const records = new Map(previous?.records ?? []);
    for (const [id, values] of Object.entries(raw.records ?? {})) {
      const reduced = reduce(values);
      if (file.endsWith('.images.json') && fields) fillImageSizes(fields, reduced);
      records.set(Number(id), { ...records.get(Number(id)), ...reduced });
    }
    out.set(model, {
      defaults: { ...previous?.defaults, ...reduce(raw.defaults) },
      records,
      computed: { ...previous?.computed, ...raw.computed },
    });
  }
  return out;
}
