// Related fields (fields_get's `related: "a.b"` on non-stored fields): their values, and the rows
// the domain engine and the ordering code search, with those values filled in. A product
// variant's `name` or a user's `name` live on the _inherits parent (product.template,
// res.partner): on a real server they are searched and ordered through that join.
import { INHERITS } from './models.js';
import type { Store } from './store.js';
import type { DomainEnv, FieldDef, FieldMap, OdooVersion, Row } from './types.js';

export interface RelatedTarget {
  model: string;
  row: Row;
  name: string;
  def: FieldDef;
}

/** The many2one chain of a related field, or undefined when it is not one ('a.b', 'a.b.c'). */
export function relatedChain(
  store: DomainEnv,
  model: string,
  def: FieldDef | undefined,
): string[] | undefined {
  if (def?.store !== false || typeof def.related !== 'string' || !def.related) return undefined;
  const hops = def.related.split('.');
  let current = model;
  for (let i = 0; i < hops.length - 1; i++) {
    const hop = store.fields(current)?.[hops[i] ?? ''];
    if (hop?.type !== 'many2one' || !hop.relation) return undefined;
    current = hop.relation;
  }
  return Object.hasOwn(store.fields(current) ?? {}, hops[hops.length - 1] ?? '') ? hops : undefined;
}

/** The record and field a related field reads, or undefined when a many2one on the way is empty. */
export function relatedTarget(
  store: Store,
  model: string,
  row: Row,
  hops: readonly string[],
): RelatedTarget | undefined {
  let currentModel = model;
  let currentRow: Row | undefined = row;
  for (let i = 0; i < hops.length - 1; i++) {
    const def = store.fields(currentModel)?.[hops[i] ?? ''];
    const id = currentRow?.[hops[i] ?? ''];
    if (!def?.relation || typeof id !== 'number') return undefined;
    currentModel = def.relation;
    currentRow = store.row(currentModel, id);
    if (!currentRow) return undefined;
  }
  const name = hops[hops.length - 1] ?? '';
  const def = store.fields(currentModel)?.[name];
  return currentRow && def ? { model: currentModel, row: currentRow, name, def } : undefined;
}

/** The stored encoding of a related field's value (bare ids), following chains of related fields. */
function relatedValue(store: Store, model: string, row: Row, name: string, depth = 0): unknown {
  const def = store.fields(model)?.[name];
  const hops = relatedChain(store, model, def);
  if (!hops || depth > 8) return row[name];
  const target = relatedTarget(store, model, row, hops);
  if (!target) return def?.type === 'one2many' || def?.type === 'many2many' ? [] : false;
  return relatedValue(store, target.model, target.row, target.name, depth + 1);
}

interface Cached {
  revision: number;
  list: Row[];
  byId: Map<number, Row>;
}

const views = new WeakMap<Store, EngineView>();

/** The engine view of a store (one per store, caches checked against the store's revision). */
export function engineView(store: Store): EngineView {
  let view = views.get(store);
  if (!view) {
    view = new EngineView(store);
    views.set(store, view);
  }
  return view;
}

/** The DomainEnv the engine searches: the store's rows with related fields filled in. */
export class EngineView implements DomainEnv {
  private readonly fieldCache = new Map<string, FieldMap | undefined>();
  private readonly relatedCache = new Map<string, string[]>();
  private readonly rowCache = new Map<string, Cached>();

  constructor(private readonly store: Store) {}

  get version(): OdooVersion {
    return this.store.version;
  }

  /** Inherited fields count as stored: the engine may order by them, as Odoo does through the join. */
  fields(model: string): FieldMap | undefined {
    if (this.fieldCache.has(model)) return this.fieldCache.get(model);
    const raw = this.store.fields(model);
    const via = INHERITS[model];
    let out = raw;
    if (raw && via) {
      out = { ...raw };
      for (const [name, def] of Object.entries(raw)) {
        if (def.store === false && def.related === `${via}.${name}`) out[name] = { ...def, store: true };
      }
    }
    this.fieldCache.set(model, out);
    return out;
  }

  private relatedFields(model: string): string[] {
    let hit = this.relatedCache.get(model);
    if (!hit) {
      const fields = this.store.fields(model) ?? {};
      hit = Object.keys(fields).filter((name) => relatedChain(this.store, model, fields[name]) !== undefined);
      this.relatedCache.set(model, hit);
    }
    return hit;
  }

  private cached(model: string): Cached | undefined {
    if (!this.relatedFields(model).length) return undefined;
    const hit = this.rowCache.get(model);
    if (hit && hit.revision === this.store.revision) return hit;
    const names = this.relatedFields(model);
    const list = this.store.rows(model).map((raw) => {
      const row: Row = { ...raw };
      for (const name of names) row[name] = relatedValue(this.store, model, raw, name);
      return row;
    });
    const fresh = { revision: this.store.revision, list, byId: new Map(list.map((row) => [row.id, row])) };
    this.rowCache.set(model, fresh);
    return fresh;
  }

  row(model: string, id: number): Row | undefined {
    const cached = this.cached(model);
    return cached ? cached.byId.get(id) : this.store.row(model, id);
  }

  rows(model: string): readonly Row[] {
    return this.cached(model)?.list ?? this.store.rows(model);
  }

  displayName(model: string, id: number): string {
    return this.store.displayName(model, id);
  }
}
