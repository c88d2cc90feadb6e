// The in-memory database: one table per model, rows as the seed gave them (many2one as bare ids),
// plus the models Odoo always has (ir.model, ir.model.fields, mail.message) and stand-ins for the
// models the seed only points at. It is also the DomainEnv the domain engine searches.
import { recNameField } from './models.js';
import { type IrModelEntry, loadSeed, type Seed } from './seed.js';
import {
  type DomainEnv,
  type FieldDef,
  type FieldMap,
  majorOf,
  type OdooVersion,
  type Row,
} from './types.js';
import { relatedChain, relatedTarget } from './view.js';

export interface Table {
  readonly name: string;
  readonly fields: FieldMap;
  /** ir.model's name of the model ('Contact' for res.partner). */
  readonly description: string;
  /**
   * True when the table holds every record of the model (seeded models, ir.model...). Stand-ins
   * built from many2one references and mail.message only know some ids, so x2many values pointing
   * at them are kept as stored instead of being filtered by existence.
   */
  readonly complete: boolean;
  rows: Map<number, Row>;
  nextId: number;
  /** Cached id-ordered list for DomainEnv.rows; dropped on insert/delete. */
  list: Row[] | undefined;
}

/** Fields every model has, in fields_get's shape, for the models the seed does not describe. */
function syntheticField(
  version: OdooVersion,
  name: string,
  type: string,
  string: string,
  extra: Partial<FieldDef> = {},
) {
  const def: FieldDef = {
    change_default: false,
    company_dependent: false,
    depends: [],
    // fields_get lists the export attributes from 16.0 on.
    ...(majorOf(version) <= 15 ? {} : { default_export_compatible: false, exportable: true }),
    // fields_get lists `groupable` from 18.0 on.
    ...(majorOf(version) <= 17 ? {} : { groupable: true }),
    manual: false,
    name,
    readonly: false,
    required: false,
    searchable: true,
    sortable: true,
    store: true,
    string,
    type,
    ...extra,
  };
  return Object.fromEntries(Object.entries(def).sort(([a], [b]) => a.localeCompare(b))) as FieldDef;
}

function magicFields(version: OdooVersion): FieldMap {
  return {
    id: syntheticField(version, 'id', 'integer', 'ID', { readonly: true }),
    // display_name is searchable (through _search_display_name) from 18.0 on.
    display_name: syntheticField(version, 'display_name', 'char', 'Display Name', {
      readonly: true,
      searchable: majorOf(version) >= 18,
      sortable: false,
      store: false,
    }),
    create_uid: syntheticField(version, 'create_uid', 'many2one', 'Created by', {
      readonly: true,
      relation: 'res.users',
    }),
    create_date: syntheticField(version, 'create_date', 'datetime', 'Created on', { readonly: true }),
    write_uid: syntheticField(version, 'write_uid', 'many2one', 'Last Updated by', {
      readonly: true,
      relation: 'res.users',
    }),
    write_date: syntheticField(version, 'write_date', 'datetime', 'Last Updated on', { readonly: true }),
    // The concurrency-check field every model had up to 16.0.
    ...(majorOf(version) <= 16
      ? {
          __last_update: syntheticField(version, '__last_update', 'datetime', 'Last Modified on', {
            depends: ['create_date', 'write_date'],
            readonly: true,
            searchable: false,
            sortable: false,
            store: false,
          }),
        }
      : {}),
  };
}

function irModelFields(version: OdooVersion): FieldMap {
  const f = (name: string, type: string, string: string, extra: Partial<FieldDef> = {}) =>
    syntheticField(version, name, type, string, extra);
  return {
    ...magicFields(version),
    name: f('name', 'char', 'Model Description', { required: true, translate: true }),
    model: f('model', 'char', 'Model', { required: true }),
    info: f('info', 'text', 'Information'),
    transient: f('transient', 'boolean', 'Transient Model', { readonly: true }),
    modules: f('modules', 'char', 'In Apps', {
      readonly: true,
      store: false,
      searchable: false,
      sortable: false,
    }),
    field_id: f('field_id', 'one2many', 'Fields', {
      relation: 'ir.model.fields',
      relation_field: 'model_id',
    }),
  };
}

const FIELD_TYPES = [
  'binary',
  'boolean',
  'char',
  'date',
  'datetime',
  'float',
  'html',
  'integer',
  'many2many',
  'many2one',
  'many2one_reference',
  'monetary',
  'one2many',
  'properties',
  'properties_definition',
  'reference',
  'selection',
  'text',
  'json',
];

function irModelFieldsFields(version: OdooVersion): FieldMap {
  const f = (name: string, type: string, string: string, extra: Partial<FieldDef> = {}) =>
    syntheticField(version, name, type, string, extra);
  return {
    ...magicFields(version),
    name: f('name', 'char', 'Field Name', { required: true }),
    complete_name: f('complete_name', 'char', 'Complete Name'),
    model: f('model', 'char', 'Model Name', { required: true }),
    relation: f('relation', 'char', 'Related Model'),
    relation_field: f('relation_field', 'char', 'Relation Field'),
    model_id: f('model_id', 'many2one', 'Model', { relation: 'ir.model', required: true }),
    field_description: f('field_description', 'char', 'Field Label', { required: true, translate: true }),
    help: f('help', 'text', 'Field Help', { translate: true }),
    ttype: f('ttype', 'selection', 'Field Type', {
      required: true,
      selection: FIELD_TYPES.map((t) => [t, t] as [string, string]),
    }),
    required: f('required', 'boolean', 'Required'),
    readonly: f('readonly', 'boolean', 'Readonly'),
    index: f('index', 'boolean', 'Indexed'),
    translate: f('translate', 'boolean', 'Translatable'),
    store: f('store', 'boolean', 'Stored'),
    copied: f('copied', 'boolean', 'Copied'),
    related: f('related', 'char', 'Related Field Definition'),
    depends: f('depends', 'char', 'Dependencies'),
    groups: f('groups', 'char', 'Groups', { store: false }),
    state: f('state', 'selection', 'Type', {
      required: true,
      readonly: true,
      selection: [
        ['manual', 'Custom Field'],
        ['base', 'Base Field'],
      ],
    }),
  };
}

function mailMessageFields(version: OdooVersion): FieldMap {
  const f = (name: string, type: string, string: string, extra: Partial<FieldDef> = {}) =>
    syntheticField(version, name, type, string, extra);
  return {
    ...magicFields(version),
    subject: f('subject', 'char', 'Subject'),
    date: f('date', 'datetime', 'Date'),
    body: f('body', 'html', 'Contents'),
    model: f('model', 'char', 'Related Document Model'),
    res_id: f('res_id', 'many2one_reference', 'Related Document ID'),
    record_name: f('record_name', 'char', 'Message Record Name', { readonly: true, store: false }),
    message_type: f('message_type', 'selection', 'Type', {
      required: true,
      selection: [
        ['email', 'Incoming Email'],
        ['comment', 'Comment'],
        ['email_outgoing', 'Outgoing Email'],
        ['notification', 'System notification'],
        ['auto_comment', 'Automated Targeted Notification'],
        ['user_notification', 'User Specific Notification'],
      ],
    }),
    subtype_id: f('subtype_id', 'many2one', 'Subtype', { relation: 'mail.message.subtype' }),
    author_id: f('author_id', 'many2one', 'Author', { relation: 'res.partner' }),
    partner_ids: f('partner_ids', 'many2many', 'Recipients', { relation: 'res.partner' }),
  };
}

/** Message subtypes Odoo's message_post resolves from subtype_xmlid (demo ids). */
export const MAIL_SUBTYPES: Record<string, [number, string]> = {
  'mail.mt_comment': [1, 'Discussions'],
  'mail.mt_note': [2, 'Note'],
};

/**
 * Names of demo records the seed only references from x2many fields (so no label was recorded):
 * sales_team's crm.tag demo data, used by sale.order and crm.lead tag_ids.
 */
const DEMO_NAMES: Record<string, Record<number, string>> = {
  'crm.tag': {
    1: 'Product',
    2: 'Software',
    3: 'Services',
    4: 'Information',
    5: 'Design',
    6: 'Training',
    7: 'Consulting',
    8: 'Other',
  },
};

export interface StoreOptions {
  now?: () => Date;
}

export class Store implements DomainEnv {
  readonly version: OdooVersion;
  readonly tables = new Map<string, Table>();
  private readonly seed: Seed;
  private readonly clock: () => Date;
  /** Rows written since the seed: their harvested display names no longer apply. */
  private readonly dirty = new Set<string>();
  private journal: Map<string, Row | undefined> | undefined;
  /** Bumped by every mutation: caches derived from rows (the engine view) check it. */
  revision = 0;
  private readonly inverseCache = new Map<string, Array<[string, string]>>();
  private readonly referrerCache = new Map<string, Array<[string, string, FieldDef]>>();

  constructor(version: OdooVersion, options: StoreOptions = {}) {
    this.version = version;
    this.seed = loadSeed(version);
    this.clock = options.now ?? (() => new Date());
    this.reset();
  }

  /** 'YYYY-MM-DD HH:MM:SS' in UTC, Odoo's datetime wire format. */
  now(): string {
    return this.clock().toISOString().slice(0, 19).replace('T', ' ');
  }

  today(): string {
    return this.now().slice(0, 10);
  }

  reset(): void {
    this.revision++;
    this.tables.clear();
    this.dirty.clear();
    const seed = this.seed;
    const descriptions = new Map<string, IrModelEntry>(seed.irModels.map((m) => [m.model, m]));
    const describe = (model: string) => descriptions.get(model)?.name ?? model;

    for (const [name, model] of seed.models) {
      const rows = new Map<number, Row>();
      for (const row of model.rows) rows.set(row.id, cloneRow(row));
      this.addTable(name, model.fields, describe(name), true, rows);
    }

    const irModelRows = new Map<number, Row>();
    for (const m of seed.irModels) {
      irModelRows.set(m.id, { ...m, display_name: m.name, field_id: [] });
    }
    this.addTable('ir.model', irModelFields(this.version), describe('ir.model'), true, irModelRows);
    this.addTable(
      'ir.model.fields',
      irModelFieldsFields(this.version),
      describe('ir.model.fields'),
      true,
      new Map(),
    );
    this.fillIrModelFields();
    this.addTable(
      'mail.message',
      mailMessageFields(this.version),
      describe('mail.message'),
      false,
      new Map(),
    );
    const mail = this.tables.get('mail.message');
    if (mail) mail.nextId = this.maxMessageId() + 1;

    // Stand-ins: every other model of ir.model, and every model a seeded many2one points at.
    const standIns = new Set<string>([...descriptions.keys(), ...seed.names.keys()]);
    for (const name of standIns) {
      if (this.tables.has(name)) continue;
      const rows = new Map<number, Row>();
      const known = new Map<number, string>([
        ...Object.entries(DEMO_NAMES[name] ?? {}).map(
          ([id, label]) => [Number(id), label] as [number, string],
        ),
        ...(seed.names.get(name) ?? new Map<number, string>()),
      ]);
      // Overlay values (a state's code, name and country) ride along; fields_get does not list them.
      const overlay = seed.overlays.get(name)?.records ?? new Map<number, Record<string, unknown>>();
      for (const id of [...new Set([...known.keys(), ...overlay.keys()])].sort((a, b) => a - b)) {
        const label = known.get(id) ?? '';
        rows.set(id, { id, display_name: label, name: label, ...overlay.get(id) });
      }
      // Most models have a `name`; the referencing many2one's label is the best value we have.
      const fields = {
        ...magicFields(this.version),
        name: syntheticField(this.version, 'name', 'char', 'Name'),
      };
      this.addTable(name, fields, describe(name), false, rows);
    }

    for (const [name, table] of this.tables) {
      if (!seed.models.has(name)) continue;
      for (const row of table.rows.values()) row.display_name = this.computeDisplayName(name, row);
    }
  }

  private addTable(
    name: string,
    fields: FieldMap,
    description: string,
    complete: boolean,
    rows: Map<number, Row>,
  ) {
    let max = 0;
    for (const id of rows.keys()) max = Math.max(max, id);
    this.tables.set(name, { name, fields, description, complete, rows, nextId: max + 1, list: undefined });
  }

  private fillIrModelFields(): void {
    const irFields = this.tables.get('ir.model.fields');
    const irModel = this.tables.get('ir.model');
    if (!irFields || !irModel) return;
    const modelIds = new Map<string, number>();
    for (const row of irModel.rows.values()) modelIds.set(row.model as string, row.id);
    let id = 1;
    for (const [modelName, table] of this.tables) {
      if (modelName === 'ir.model.fields') continue;
      const modelId = modelIds.get(modelName) ?? false;
      const fieldIds: number[] = [];
      for (const def of Object.values(table.fields)) {
        const name = def.name ?? '';
        const row: Row = {
          id,
          name,
          complete_name: `${modelName}.${name}`,
          model: modelName,
          model_id: modelId,
          field_description: def.string ?? name,
          help: def.help ?? false,
          ttype: def.type,
          relation: def.relation ?? false,
          relation_field: def.relation_field ?? false,
          required: def.required ?? false,
          readonly: def.readonly ?? false,
          index: false,
          translate: Boolean(def.translate),
          store: def.store ?? true,
          copied:
            def.type !== 'one2many' &&
            !['id', 'create_uid', 'create_date', 'write_uid', 'write_date'].includes(name),
          related: (def.related as string | undefined) ?? false,
          depends:
            Array.isArray(def.depends) && def.depends.length ? (def.depends as string[]).join(',') : false,
          groups: [],
          state: 'base',
          display_name: def.string ?? name,
        };
        irFields.rows.set(id, row);
        fieldIds.push(id);
        id++;
      }
      if (typeof modelId === 'number') {
        const m = irModel.rows.get(modelId);
        if (m) m.field_id = fieldIds;
      }
    }
    irFields.nextId = id;
  }

  private maxMessageId(): number {
    let max = 0;
    for (const model of this.seed.models.values()) {
      for (const row of model.rows) {
        const ids = row.message_ids;
        if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'number' && id > max) max = id;
      }
    }
    return max;
  }

  // -- DomainEnv --------------------------------------------------------------------------------

  fields(model: string): FieldMap | undefined {
    return this.tables.get(model)?.fields;
  }

  row(model: string, id: number): Row | undefined {
    return this.tables.get(model)?.rows.get(id);
  }

  rows(model: string): readonly Row[] {
    const table = this.tables.get(model);
    if (!table) return [];
    if (!table.list) table.list = [...table.rows.values()];
    return table.list;
  }

  /** The company-wide default an overlay gives `model.field` (17.0's ir.property defaults), if any. */
  seedDefault(model: string, field: string): unknown {
    return this.seed.overlays.get(model)?.defaults[field];
  }

  /** A non-stored value the recorded corpus gives for every record of `model`, if any. */
  recordedComputed(model: string, field: string): unknown {
    return this.seed.overlays.get(model)?.computed[field];
  }

  displayName(model: string, id: number): string {
    const row = this.row(model, id);
    const stored = row?.display_name;
    if (typeof stored === 'string') return stored;
    return this.seed.names.get(model)?.get(id) ?? `${model},${id}`;
  }

  // -- storage ----------------------------------------------------------------------------------

  table(model: string): Table | undefined {
    return this.tables.get(model);
  }

  // Every mutation goes through insert/patch/remove so that a failed call can be rolled back, as
  // Odoo rolls back the transaction of a request that raised. Id sequences are not rolled back
  // (neither are PostgreSQL's).

  /** Start recording the prior state of the rows a call touches. */
  begin(): void {
    this.journal = new Map();
  }

  commit(): void {
    this.journal = undefined;
  }

  rollback(): void {
    this.revision++;
    const journal = this.journal;
    this.journal = undefined;
    if (!journal) return;
    for (const [key, before] of journal) {
      const [model, id] = splitKey(key);
      const table = this.tables.get(model);
      if (!table) continue;
      if (before) table.rows.set(id, before);
      else table.rows.delete(id);
      table.list = undefined;
    }
    // Map insertion order must stay id order for DomainEnv.rows.
    for (const model of new Set([...journal.keys()].map((key) => splitKey(key)[0]))) {
      const table = this.tables.get(model);
      if (table) table.rows = new Map([...table.rows.entries()].sort((a, b) => a[0] - b[0]));
    }
  }

  private remember(model: string, id: number): void {
    this.revision++;
    const journal = this.journal;
    if (!journal) return;
    const key = `${model}\u0000${id}`;
    if (journal.has(key)) return;
    const current = this.tables.get(model)?.rows.get(id);
    journal.set(key, current ? cloneRow(current) : undefined);
  }

  insert(model: string, row: Row): void {
    const table = this.tables.get(model);
    if (!table) throw new Error(`no table ${model}`);
    this.remember(model, row.id);
    table.rows.set(row.id, row);
    table.list = undefined;
    if (row.id >= table.nextId) table.nextId = row.id + 1;
  }

  /** Set some values of a stored row (arrays must be fresh, never mutated in place). */
  patch(model: string, id: number, values: Record<string, unknown>): Row | undefined {
    const row = this.tables.get(model)?.rows.get(id);
    if (!row) return undefined;
    this.remember(model, id);
    Object.assign(row, values);
    return row;
  }

  remove(model: string, id: number): void {
    const table = this.tables.get(model);
    if (!table) return;
    this.remember(model, id);
    table.rows.delete(id);
    table.list = undefined;
  }

  allocateId(model: string): number {
    const table = this.tables.get(model);
    if (!table) throw new Error(`no table ${model}`);
    const id = table.nextId;
    table.nextId += 1;
    return id;
  }

  /** one2many fields elsewhere whose inverse is `model.field` (a many2one): [their model, their field]. */
  inverses(model: string, field: string): Array<[string, string]> {
    const key = `${model}.${field}`;
    let hit = this.inverseCache.get(key);
    if (!hit) {
      hit = [];
      const target = this.fields(model)?.[field]?.relation;
      const comodel = target ? this.tables.get(target) : undefined;
      if (comodel) {
        for (const [name, def] of Object.entries(comodel.fields)) {
          if (def.type === 'one2many' && def.relation === model && def.relation_field === field)
            hit.push([comodel.name, name]);
        }
      }
      this.inverseCache.set(key, hit);
    }
    return hit;
  }

  /** Fields of every table pointing at `model`: [their model, their field, their type]. */
  referrers(model: string): Array<[string, string, FieldDef]> {
    let hit = this.referrerCache.get(model);
    if (!hit) {
      hit = [];
      for (const table of this.tables.values()) {
        for (const [name, def] of Object.entries(table.fields)) {
          if (def.relation === model && ['many2one', 'many2many', 'one2many'].includes(def.type)) {
            hit.push([table.name, name, def]);
          }
        }
      }
      this.referrerCache.set(model, hit);
    }
    return hit;
  }

  markDirty(model: string, id: number): void {
    this.dirty.add(`${model}:${id}`);
  }

  /** The display_name Odoo computes for a stored row of a seeded model. */
  computeDisplayName(model: string, row: Row): string {
    const harvested = this.dirty.has(`${model}:${row.id}`)
      ? undefined
      : this.seed.names.get(model)?.get(row.id);
    switch (model) {
      case 'res.partner':
        return partnerCompleteName(this, row);
      case 'product.template': {
        const name = str(row.name);
        return row.default_code ? `[${row.default_code}] ${name}` : name;
      }
      case 'product.product': {
        if (harvested !== undefined) return harvested;
        const tmplId = row.product_tmpl_id;
        const tmpl = typeof tmplId === 'number' ? this.row('product.template', tmplId) : undefined;
        const name = str(tmpl?.name ?? row.name);
        return row.default_code ? `[${row.default_code}] ${name}` : name;
      }
      case 'product.category':
      case 'res.partner.category': {
        if (harvested !== undefined) return harvested;
        const parentId = row.parent_id;
        const parent = typeof parentId === 'number' ? this.row(model, parentId) : undefined;
        return parent ? `${this.computeDisplayName(model, parent)} / ${str(row.name)}` : str(row.name);
      }
      default: {
        if (harvested !== undefined) return harvested;
        const fields = this.fields(model) ?? {};
        const recName = recNameField(model, (n) => n in fields);
        if (!recName) return `${model},${row.id}`;
        // res.users' name is its partner's (_inherits): follow related record names.
        const hops = relatedChain(this, model, fields[recName]);
        const target = hops ? relatedTarget(this, model, row, hops) : undefined;
        return str(target ? target.row[target.name] : row[recName]);
      }
    }
  }
}

function splitKey(key: string): [string, number] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === false || value == null ? '' : String(value);
}

/** res.partner's complete_name (= display_name): "Company, Contact" for a company's contacts. */
export function partnerCompleteName(env: DomainEnv, row: Row): string {
  let name = str(row.name);
  const parentId = row.parent_id;
  const parent = typeof parentId === 'number' ? env.row('res.partner', parentId) : undefined;
  if (row.company_name || parent) {
    const type = row.type;
    if (!name && typeof type === 'string' && ['invoice', 'delivery', 'other'].includes(type)) {
      const selection = env.fields('res.partner')?.type?.selection ?? [];
      name = selection.find(([key]) => key === type)?.[1] ?? type;
    }
    if (!row.is_company) {
      const company = str(row.commercial_company_name) || str(parent?.name);
      name = `${company}, ${name}`;
    }
  }
  return name.trim();
}

/** Copy a row so that seed arrays are never mutated through a store. */
export function cloneRow(row: Row): Row {
  const out: Row = { id: row.id };
  for (const [key, value] of Object.entries(row)) {
    out[key] = Array.isArray(value)
      ? value.slice()
      : value !== null && typeof value === 'object'
        ? structuredClone(value)
        : value;
  }
  return out;
}
