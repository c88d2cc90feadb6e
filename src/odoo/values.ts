// Odoo's wire values to plain JSON and back. Odoo writes `false` for every empty field whatever its
// type and `[id, name]` for many2one; models and people read `null` and `{id, name}` more easily.

export interface FieldMeta {
  type: string;
  relation?: string;
  string?: string;
  required?: boolean;
  readonly?: boolean;
  store?: boolean;
  selection?: unknown;
  help?: string;
  [key: string]: unknown;
}
export type FieldsMeta = Record<string, FieldMeta>;

export interface Many2one {
  id: number;
  name: string | null;
}

export type OdooRecord = Record<string, unknown> & { id?: number };

/** One value, decoded by its field type. Unknown fields pass through unchanged. */
export function decodeValue(value: unknown, field: FieldMeta | undefined): unknown {
  if (!field) return value;
  if (field.type === 'boolean') return value === null ? false : value;
  if (value === false || value === null || value === undefined) {
    // x2many are lists even when empty; everything else empty is null.
    return field.type === 'one2many' || field.type === 'many2many' ? [] : null;
  }
  if (field.type === 'many2one' || field.type === 'many2one_reference') {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      return { id: value[0], name: typeof value[1] === 'string' ? value[1] : null } satisfies Many2one;
    }
    if (typeof value === 'number') return { id: value, name: null } satisfies Many2one;
  }
  return value;
}

export function decodeRecord(record: OdooRecord, fields: FieldsMeta): OdooRecord {
  const out: OdooRecord = {};
  for (const [key, value] of Object.entries(record)) out[key] = decodeValue(value, fields[key]);
  return out;
}

export function decodeRecords(records: readonly OdooRecord[], fields: FieldsMeta): OdooRecord[] {
  return records.map((r) => decodeRecord(r, fields));
}
