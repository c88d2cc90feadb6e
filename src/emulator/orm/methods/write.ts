// Writing: create, write, unlink, copy, action_archive/unarchive, with x2many commands, defaults,
// required fields, foreign keys, constraints and the access checks Odoo runs, in its order.
import { checkModelAccess, checkRules, fieldAccessError, fieldVisible } from '../access.js';
import { OdooException } from '../api.js';
import { type Env, fieldsOf, invalidField } from '../env.js';
import { COPY_SUFFIX_MODELS, cascades, INHERITS, NEVER_COPIED } from '../models.js';
import { pyTypeName, recordsetRepr } from '../python.js';
import type { FieldDef, Row } from '../types.js';
import {
  convertScalar,
  foreignKeyError,
  normalizeX2many,
  tableName,
  type X2manyCommand,
} from '../validate.js';
import { relatedChain, relatedTarget } from '../view.js';
import { afterWrite, beforeUnlink, checkConstraints, checkStored, nextOrderName } from './hooks.js';
import { defaultGet } from './read.js';

export function missingError(model: string, ids: readonly number[], uid: number): OdooException {
  return new OdooException(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${recordsetRepr(model, ids)}, User: ${uid})`,
  );
}

function isX2many(def: FieldDef): boolean {
  return def.type === 'one2many' || def.type === 'many2many';
}

function asVals(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>;
  throw new OdooException(
    'builtins.AttributeError',
    `'${pyTypeName(value)}' object has no attribute 'items'`,
  );
}

/** Scalar values converted for storage; unknown fields raise, non-stored ones are dropped. */
type RelatedWrite = [name: string, hops: string[], value: unknown];

function prepare(
  env: Env,
  model: string,
  vals: Record<string, unknown>,
): {
  scalars: Record<string, unknown>;
  x2many: Array<[string, X2manyCommand[]]>;
  related: RelatedWrite[];
} {
  const fields = fieldsOf(env, model);
  const scalars: Record<string, unknown> = {};
  const x2many: Array<[string, X2manyCommand[]]> = [];
  const related: RelatedWrite[] = [];
  for (const [name, value] of Object.entries(vals)) {
    const def = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!def) {
      if (name === 'id') continue;
      throw invalidField(model, name);
    }
    if (name === 'id' || name === 'display_name') continue;
    // Related fields write through to the record they read (the _inherits parent for most).
    const hops = relatedChain(env.store, model, def);
    if (hops) {
      related.push([name, hops, value]);
      continue;
    }
    if (isX2many(def)) {
      x2many.push([name, normalizeX2many(model, name, value)]);
      continue;
    }
    // company_type is res.partner's one computed field with an inverse on is_company.
    if (model === 'res.partner' && name === 'company_type') {
      scalars.is_company = value === 'company';
      continue;
    }
    // Non-stored computes are dropped; company-dependent values live in ir.property, so they stay.
    if (def.store === false && !def.company_dependent) continue;
    scalars[name] = convertScalar(env.version, model, name, def, value);
  }
  return { scalars, x2many, related };
}

function applyRelated(env: Env, model: string, id: number, related: readonly RelatedWrite[]): void {
  for (const [, hops, value] of related) {
    const row = env.store.row(model, id);
    const target = row ? relatedTarget(env.store, model, row, hops) : undefined;
    // An empty many2one on the way: Odoo assigns on an empty recordset, a no-op.
    if (target) writeRecords(env, target.model, [target.row.id], { [target.name]: value });
  }
}

/** Foreign keys: a many2one must point at an existing row of a fully known comodel. */
function checkForeignKeys(env: Env, model: string, scalars: Record<string, unknown>): void {
  const fields = fieldsOf(env, model);
  for (const [name, value] of Object.entries(scalars)) {
    const def = fields[name];
    if (def?.type !== 'many2one' || typeof value !== 'number' || !def.relation) continue;
    const table = env.store.table(def.relation);
    if (table?.complete && !table.rows.has(value)) {
      throw foreignKeyError(
        model,
        env.store.table(model)?.description ?? model,
        `${tableName(model)}_${name}_fkey`,
      );
    }
  }
}

/** Keep one2many lists of the comodel in step with a many2one change. */
function syncInverse(
  env: Env,
  model: string,
  id: number,
  field: string,
  before: unknown,
  after: unknown,
): void {
  if (before === after) return;
  for (const [comodel, o2m] of env.store.inverses(model, field)) {
    if (typeof before === 'number') {
      const row = env.store.row(comodel, before);
      if (row && Array.isArray(row[o2m]))
        env.store.patch(comodel, before, { [o2m]: (row[o2m] as number[]).filter((x) => x !== id) });
    }
    if (typeof after === 'number') {
      const row = env.store.row(comodel, after);
      if (row) {
        const list = Array.isArray(row[o2m]) ? (row[o2m] as number[]) : [];
        if (!list.includes(id)) env.store.patch(comodel, after, { [o2m]: [...list, id] });
      }
    }
  }
}

function setMany2one(env: Env, model: string, id: number, values: Record<string, unknown>): void {
  const fields = fieldsOf(env, model);
  const row = env.store.row(model, id);
  if (!row) return;
  const before: Record<string, unknown> = {};
  for (const name of Object.keys(values)) before[name] = row[name];
  env.store.patch(model, id, values);
  for (const [name, value] of Object.entries(values)) {
    if (fields[name]?.type === 'many2one') syncInverse(env, model, id, name, before[name], value);
  }
}

/** Apply x2many commands to one record (many2many: the id list; one2many: the comodel's inverse). */
function applyCommands(
  env: Env,
  model: string,
  id: number,
  name: string,
  def: FieldDef,
  commands: X2manyCommand[],
): void {
  const comodel = def.relation;
  if (!comodel) return;
  const store = env.store;
  const current = (): number[] => {
    const value = store.row(model, id)?.[name];
    return Array.isArray(value) ? (value as number[]).slice() : [];
  };
  const inverse = def.type === 'one2many' ? def.relation_field : undefined;
  const inverseDef = inverse ? fieldsOf(env, comodel)[inverse] : undefined;
  const children = (): number[] =>
    inverse && store.table(comodel)?.complete
      ? store
          .rows(comodel)
          .filter((row) => row[inverse] === id)
          .map((row) => row.id)
      : current();
  const detach = (childId: number) => {
    if (inverse && inverseDef) {
      if (inverseDef.required || cascades(comodel, inverse)) unlinkRecords(env, comodel, [childId]);
      else writeRecords(env, comodel, [childId], { [inverse]: false });
    } else {
      store.patch(model, id, { [name]: current().filter((x) => x !== childId) });
    }
  };
  const attach = (childId: number) => {
    if (inverse && inverseDef) {
      writeRecords(env, comodel, [childId], { [inverse]: id });
    } else {
      const table = store.table(comodel);
      if (table?.complete && !table.rows.has(childId)) {
        throw foreignKeyError(
          model,
          store.table(model)?.description ?? model,
          `${tableName(model)}_${name}_fkey`,
        );
      }
      const list = current();
      if (!list.includes(childId)) store.patch(model, id, { [name]: [...list, childId] });
    }
  };
  for (const command of commands) {
    switch (command.op) {
      case 0: {
        const vals = inverse ? { ...command.values, [inverse]: id } : command.values;
        const [created] = createRecords(env, comodel, [vals]);
        if (!inverse && created !== undefined) attach(created);
        break;
      }
      case 1:
        writeRecords(env, comodel, [command.id], command.values);
        break;
      case 2:
        unlinkRecords(env, comodel, [command.id]);
        if (!inverse) store.patch(model, id, { [name]: current().filter((x) => x !== command.id) });
        break;
      case 3:
        detach(command.id);
        break;
      case 4:
        attach(command.id);
        break;
      case 5:
        for (const child of children()) detach(child);
        break;
      case 6: {
        const wanted = new Set(command.ids);
        for (const child of children()) if (!wanted.has(child)) detach(child);
        if (inverse) {
          for (const child of command.ids) attach(child);
        } else {
          const table = store.table(comodel);
          for (const child of command.ids) {
            if (table?.complete && !table.rows.has(child)) {
              throw foreignKeyError(
                model,
                store.table(model)?.description ?? model,
                `${tableName(model)}_${name}_fkey`,
              );
            }
          }
          store.patch(model, id, { [name]: [...new Set(command.ids)] });
        }
        break;
      }
    }
  }
}

/** create(vals_list): the new ids, in order. */
export function createRecords(env: Env, model: string, valsList: readonly unknown[]): number[] {
  checkModelAccess(env.store, env.user, model, 'create');
  const store = env.store;
  const fields = fieldsOf(env, model);
  const ids: number[] = [];
  for (const raw of valsList) {
    const given = asVals(raw);
    const defaults = defaultGet(
      env,
      model,
      Object.keys(fields).filter((name) => !Object.hasOwn(given, name)),
    );
    const prepared = prepare(env, model, { ...defaults, ...given });
    const { scalars, x2many } = prepared;
    if (model === 'sale.order' && (!scalars.name || scalars.name === 'New'))
      scalars.name = nextOrderName(env);
    const via = INHERITS[model];
    const parentModel = via ? fields[via]?.relation : undefined;
    let related = prepared.related;
    if (via && parentModel && !scalars[via]) {
      // _inherits: the parent record is created first, from the values of its fields.
      const parentVals: Record<string, unknown> = {};
      for (const [, hops, value] of related)
        if (hops.length === 2 && hops[0] === via) parentVals[hops[1] ?? ''] = value;
      related = related.filter(([, hops]) => !(hops.length === 2 && hops[0] === via));
      const [parent] = createRecords(env, parentModel, [parentVals]);
      scalars[via] = parent;
    }
    checkForeignKeys(env, model, scalars);
    const id = store.allocateId(model);
    const now = store.now();
    const row: Row = { id };
    for (const [name, def] of Object.entries(fields)) {
      if (isX2many(def) && def.store !== false) row[name] = [];
    }
    Object.assign(row, scalars, {
      create_uid: env.user.uid,
      create_date: now,
      write_uid: env.user.uid,
      write_date: now,
    });
    store.insert(model, row);
    for (const [name, value] of Object.entries(scalars)) {
      if (fields[name]?.type === 'many2one') syncInverse(env, model, id, name, false, value);
    }
    for (const [name, commands] of x2many) {
      const def = fields[name];
      if (def) applyCommands(env, model, id, name, def, commands);
    }
    applyRelated(env, model, id, related);
    afterWrite(env, model, [id], new Set([...Object.keys(scalars), ...x2many.map(([n]) => n)]), true);
    checkStored(env, model, [id]);
    ids.push(id);
  }
  return ids;
}

/** The existing rows of `ids`, or MissingError naming the missing ones. */
export function existingRows(env: Env, model: string, ids: readonly number[]): Row[] {
  const rows: Row[] = [];
  const missing: number[] = [];
  for (const id of ids) {
    const row = env.store.row(model, id);
    if (row) rows.push(row);
    else missing.push(id);
  }
  if (missing.length) throw missingError(model, missing, env.user.uid);
  return rows;
}

/** write(vals) on `ids`: true. */
export function writeRecords(env: Env, model: string, ids: readonly number[], rawVals: unknown): true {
  if (!ids.length) return true;
  const vals = asVals(rawVals);
  const store = env.store;
  const fields = fieldsOf(env, model);
  // mail.thread's write reads the tracked values first: read rights and rules come before write's.
  if (Object.hasOwn(fields, 'message_ids')) {
    checkModelAccess(store, env.user, model, 'read');
    const present = ids.map((id) => store.row(model, id)).filter((r): r is Row => !!r);
    checkRules(store, env.user, model, 'read', present);
  }
  checkModelAccess(store, env.user, model, 'write');
  const hidden = Object.keys(vals).filter(
    (name) => Object.hasOwn(fields, name) && !fieldVisible(env.user, fields[name]?.groups),
  );
  if (hidden.length) throw fieldAccessError(store, env.user, model, 'write', hidden);
  const rows = existingRows(env, model, ids);
  checkRules(store, env.user, model, 'write', rows);
  const { scalars, x2many, related } = prepare(env, model, vals);
  checkForeignKeys(env, model, scalars);
  checkConstraints(env, model, rows, scalars);
  const now = store.now();
  for (const row of rows) {
    setMany2one(env, model, row.id, { ...scalars, write_uid: env.user.uid, write_date: now });
  }
  for (const row of rows) {
    for (const [name, commands] of x2many) {
      const def = fields[name];
      if (def) applyCommands(env, model, row.id, name, def, commands);
    }
    applyRelated(env, model, row.id, related);
  }
  afterWrite(env, model, ids, new Set([...Object.keys(scalars), ...x2many.map(([n]) => n)]), false);
  checkStored(env, model, ids);
  return true;
}

/** unlink(): true. Referencing rows cascade, block (required many2one) or are set to NULL. */
export function unlinkRecords(env: Env, model: string, ids: readonly number[]): true {
  if (!ids.length) return true;
  const store = env.store;
  checkModelAccess(store, env.user, model, 'unlink');
  const rows = existingRows(env, model, ids);
  checkRules(store, env.user, model, 'unlink', rows);
  beforeUnlink(env, model, rows);
  const gone = new Set(rows.map((row) => row.id));
  for (const [other, field, def] of store.referrers(model)) {
    if (def.type !== 'many2one' || def.store === false) continue;
    const dependants = store
      .rows(other)
      .filter((row) => typeof row[field] === 'number' && gone.has(row[field] as number));
    if (!dependants.length || (other === model && dependants.every((row) => gone.has(row.id)))) continue;
    if (cascades(other, field)) {
      const cascade = dependants.filter((row) => !(other === model && gone.has(row.id)));
      unlinkCascade(
        env,
        other,
        cascade.map((row) => row.id),
      );
    } else if (def.required) {
      throw foreignKeyError(
        other,
        store.table(other)?.description ?? other,
        `${tableName(other)}_${field}_fkey`,
      );
    } else {
      for (const row of dependants)
        if (!gone.has(row.id) || other !== model) store.patch(other, row.id, { [field]: false });
    }
  }
  for (const id of gone) store.remove(model, id);
  for (const [other, field, def] of store.referrers(model)) {
    if (def.type === 'many2one') continue;
    for (const row of store.rows(other)) {
      const list = row[field];
      if (Array.isArray(list) && list.some((x) => gone.has(x as number))) {
        store.patch(other, row.id, { [field]: list.filter((x) => !gone.has(x as number)) });
      }
    }
  }
  return true;
}

/** ondelete='cascade' runs in the database: no access checks on the dependants. */
function unlinkCascade(env: Env, model: string, ids: number[]): void {
  if (!ids.length) return;
  const sudo: Env = { ...env, user: { ...env.user, role: 'admin' } };
  unlinkRecords(sudo, model, ids);
}

/** copy(default): the new ids (one per record). */
export function copyRecords(env: Env, model: string, ids: readonly number[], rawDefault: unknown): number[] {
  const store = env.store;
  checkModelAccess(store, env.user, model, 'read');
  const rows = existingRows(env, model, ids);
  checkRules(store, env.user, model, 'read', rows);
  const defaults =
    rawDefault === null || rawDefault === undefined || rawDefault === false ? {} : asVals(rawDefault);
  const fields = fieldsOf(env, model);
  const out: number[] = [];
  for (const row of rows) {
    const vals: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(fields)) {
      if (NEVER_COPIED.has(name) || def.store === false || def.type === 'one2many' || !(name in row))
        continue;
      if (def.readonly && Array.isArray(def.depends) && def.depends.length) continue;
      const value = row[name];
      vals[name] = def.type === 'many2many' ? [[6, 0, Array.isArray(value) ? value : []]] : value;
    }
    if (model === 'sale.order') {
      for (const name of [
        'name',
        'state',
        'date_order',
        'invoice_status',
        'signed_by',
        'signed_on',
        'signature',
      ])
        delete vals[name];
      const lines = store.rows('sale.order.line').filter((line) => line.order_id === row.id);
      vals.order_line = lines.map((line) => {
        const lineVals: Record<string, unknown> = {};
        for (const f of [
          'name',
          'product_id',
          'product_uom_qty',
          'price_unit',
          'discount',
          'sequence',
          'display_type',
        ]) {
          if (f in line) lineVals[f] = line[f];
        }
        return [0, 0, lineVals];
      });
    }
    if (COPY_SUFFIX_MODELS.has(model) && !Object.hasOwn(defaults, 'name') && typeof row.name === 'string') {
      vals.name = `${row.name} (copy)`;
    }
    Object.assign(vals, defaults);
    const [id] = createRecords(env, model, [vals]);
    if (id !== undefined) out.push(id);
  }
  return out;
}

/** action_archive / action_unarchive: write active on the records that need it; returns None. */
export function setActive(env: Env, model: string, ids: readonly number[], active: boolean): undefined {
  const fields = fieldsOf(env, model);
  if (fields.active?.type !== 'boolean') {
    throw new OdooException('builtins.AssertionError', `No 'active' field on model ${model}`);
  }
  const rows = existingRows(env, model, ids);
  const targets = rows.filter((row) => (row.active !== false) !== active).map((row) => row.id);
  writeRecords(env, model, targets, { active });
  return undefined;
}
