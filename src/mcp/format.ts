// Compact text for the model: one JSON line per record, empty values dropped. The full values are
// in structuredContent; the text is what most clients put in the model's context.

function isMany2one(v: object): v is { id: number; name: string | null } {
  const keys = Object.keys(v);
  return keys.length === 2 && 'id' in v && 'name' in v && typeof v.id === 'number';
}

/**
 * Drops null, empty strings and empty lists (recursively in plain objects), and writes a relation
 * {id, name} as Odoo's own [id, "name"] pair, which says the same in fewer tokens.
 */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value && typeof value === 'object') {
    if (isMany2one(value)) return value.name === null ? [value.id] : [value.id, value.name];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
      out[k] = compact(v);
    }
    return out;
  }
  return value;
}

export function recordLines(records: readonly Record<string, unknown>[]): string {
  return records.map((r) => JSON.stringify(compact(r))).join('\n');
}

/** One line saying what is shown and how to get the rest. */
export function pageHeader(
  model: string,
  shown: number,
  total: number,
  offset: number,
  next: number | null,
): string {
  if (total === 0) return `${model}: no records match.`;
  const range = shown === 0 ? 'none shown' : `${offset + 1}-${offset + shown}`;
  const more = next === null ? '' : `; more with offset=${next}`;
  return `${model}: ${total} record${total === 1 ? '' : 's'} match, showing ${range}${more}.`;
}
