import { z } from 'zod';
import type { FieldMeta } from '../../odoo/values.js';
import { type InternalKind, internalKind } from '../../services/metadata.js';
import { InputError } from '../../services/records.js';
import { closestMatches } from '../../util/text.js';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { checkInputLimits, modelParam } from './params.js';

/** Attributes shown only on request, in this order; `fields` shows them all. */
/** Attributes fields_get gives only when asked for (see ModelCatalog.fieldDetails). */
const DETAIL_ONLY = [
  'groupable',
  'aggregator',
  'related',
  'relation_field',
  'company_dependent',
  'translate',
] as const;
const EXTRA = ['help', 'selection', 'default', 'store', 'searchable', 'sortable', ...DETAIL_ONLY] as const;
type Extra = (typeof EXTRA)[number];
/** The ones `attributes` offers; the rest come with `fields` (each enum value costs tools/list bytes). */
const ASKABLE = EXTRA.slice(0, 4) as unknown as readonly [Extra, ...Extra[]];
const DETAIL_ONLY_SET = new Set<Extra>(DETAIL_ONLY);
/** A selection longer than this is counted, not listed, unless asked for. */
const SHORT_SELECTION = 8;
/**
 * An answer lists fields until text and structured content reach this many bytes; offset pages
 * through the rest. A model with many modules installed is paged, a usual res.partner is not.
 */
const PAGE_BYTES = 14_000;

/** How the answer names each kind of left-out field, in this order. */
const KIND_TEXT: Record<InternalKind, string> = {
  magic: 'id/display_name',
  plumbing: 'chatter/activity/token plumbing',
  computed: 'computed that can be neither searched nor written',
  binary: 'read-only binary',
};

type Pair = [string | number, string];
type Described = Record<string, unknown>;

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/**
 * Whether a selection value's label says more than the value: "person" is shown as
 * person=Individual and "no" as no=Nothing to Invoice, but "invoice" (Invoice Address) and "bad"
 * (Bad Debtor) alone.
 */
const labelAddsMeaning = ([value, label]: Pair) => {
  const v = norm(String(value));
  const l = norm(label);
  if (v === l) return false;
  return !((v.length >= 3 && l.startsWith(v)) || (l.length >= 3 && v.startsWith(l)));
};

export default defineTool({
  name: 'describe_model',
  title: 'Describe a model',
  description:
    'Fields of a model for domains and values: type, label, required, readonly, relation, selection.',
  input: z.object({
    model: modelParam,
    fields: z.array(z.string()).describe('Only these fields, with all attributes').optional(),
    query: z.string().describe('Text in name or label').optional(),
    attributes: z.array(z.enum(ASKABLE)).describe('Add to each field').optional(),
    offset: z.number().int().describe('next_offset of the last answer').optional(),
  }),
  output: z.object({
    fields: z.record(z.string(), z.record(z.string(), z.unknown())),
    left_out: z.number().int().optional(),
    next_offset: z.number().int().optional(),
  }),
  annotations: READ_ONLY,
  async run(args, { catalog, policy, records }, { signal }) {
    const { model } = args;
    policy.assertModel(model);
    checkInputLimits(records.limits, { fields: args.fields });
    const asked = new Set<Extra>(args.fields?.length ? EXTRA : (args.attributes ?? []));
    const extras = new Set(EXTRA.filter((a) => asked.has(a)));
    const detailed = [...extras].some((a) => DETAIL_ONLY_SET.has(a));
    const meta = detailed ? await catalog.fieldDetails(model, signal) : await catalog.fields(model, signal);
    const all = Object.entries(meta);

    let listed: Array<[string, FieldMeta]>;
    const leftOut: Array<[string, InternalKind]> = [];
    const query = args.query?.trim();
    if (args.fields?.length) {
      const names = [...new Set(args.fields)];
      const unknown = names.filter((n) => !(n in meta));
      if (unknown.length) throw new InputError(unknownFieldsText(model, unknown, Object.keys(meta)));
      listed = names.map((n) => [n, meta[n] as FieldMeta]);
    } else if (query) {
      const q = query.toLowerCase();
      listed = all.filter(
        ([n, f]) => n.toLowerCase().includes(q) || (f.string ?? '').toLowerCase().includes(q),
      );
    } else {
      listed = [];
      for (const [n, f] of all) {
        const kind = internalKind(model, n, f);
        if (kind) leftOut.push([n, kind]);
        else listed.push([n, f]);
      }
    }

    const total = listed.length;
    const offset = args.fields?.length ? 0 : Math.max(0, args.offset ?? 0);
    // Named fields come all at once; a listing stops when the page is full (the header takes a
    // few hundred bytes, the rest is the fields' lines and their JSON).
    let end = args.fields?.length ? total : offset;
    for (let bytes = 400; end < total; end++) {
      const [name, f] = listed[end] as [string, FieldMeta];
      const d = describe(name, f, extras, {});
      bytes +=
        Buffer.byteLength(line(name, d, extras)) + Buffer.byteLength(JSON.stringify(d)) + name.length + 5;
      if (bytes > PAGE_BYTES && end > offset) break;
    }
    const page = listed.slice(offset, end);
    const next = end < total ? end : undefined;
    const defaults = extras.has('default')
      ? await catalog.fieldDefaults(
          model,
          page.map(([n]) => n),
          signal,
        )
      : {};

    const fields: Record<string, Described> = {};
    const lines: string[] = [];
    for (const [name, f] of page) {
      const d = describe(name, f, extras, defaults);
      fields[name] = d;
      lines.push(line(name, d, extras));
    }
    const structured = {
      fields,
      ...(leftOut.length ? { left_out: leftOut.length } : {}),
      ...(next !== undefined ? { next_offset: next } : {}),
    };
    const head = header(model, all.length, total, offset, page.length, next, query, leftOut);
    return { structured, text: [head, ...lines].join('\n') };
  },
});

/** One field's attributes: the always-shown ones when they say something, then the extras asked for. */
function describe(name: string, f: FieldMeta, extras: Set<Extra>, defaults: Described): Described {
  const d: Described = { type: f.type };
  if (f.string) d.label = f.string;
  if (f.required === true) d.required = true;
  if (f.readonly === true) d.readonly = true;
  if (f.relation) d.relation = f.relation;
  if (Array.isArray(f.selection)) {
    const pairs = f.selection as Pair[];
    if (extras.has('selection') || pairs.length <= SHORT_SELECTION) d.selection = pairs;
    else d.selection_count = pairs.length;
  }
  // A writable field Odoo cannot search (computed with an inverse): a domain on it fails.
  if (f.searchable === false && !extras.has('searchable')) d.searchable = false;
  for (const a of extras) {
    if (a === 'selection' || a === 'help') continue;
    if (a === 'default') {
      const v = defaults[name];
      // default_get gives false for "empty" on every type but boolean, where it is the value.
      if (name in defaults && (v !== false || f.type === 'boolean')) d.default = v;
      continue;
    }
    const v = f[a];
    if (v === undefined || v === null || v === '') continue;
    // Flags that are rarely set are shown when set; store, searchable, sortable, groupable always.
    if (v === false && (a === 'related' || a === 'company_dependent' || a === 'translate')) continue;
    d[a] = v;
  }
  // Odoo's help texts keep the source's indentation.
  if (extras.has('help') && f.help) d.help = f.help.replace(/\s+/g, ' ').trim();
  return d;
}

const BASE = new Set([
  'type',
  'label',
  'required',
  'readonly',
  'relation',
  'selection',
  'selection_count',
  'help',
]);

/** `country_id many2one->res.country "Country" required values: a|b store=true help: "..."` */
function line(name: string, d: Described, extras: Set<Extra>): string {
  const parts = [name, d.relation ? `${d.type}->${d.relation}` : String(d.type)];
  if (d.label) parts.push(JSON.stringify(d.label));
  if (d.required) parts.push('required');
  if (d.readonly) parts.push('readonly');
  if (d.searchable === false && !extras.has('searchable')) parts.push('not searchable');
  if (Array.isArray(d.selection) && d.selection.length) {
    const all = extras.has('selection');
    const shown = (d.selection as Pair[]).map((p) =>
      all || labelAddsMeaning(p) ? `${p[0]}=${p[1]}` : String(p[0]),
    );
    parts.push(`values: ${shown.join('|')}`);
  } else if (typeof d.selection_count === 'number') {
    parts.push(`${d.selection_count} values (fields=["${name}"] lists them)`);
  }
  for (const [k, v] of Object.entries(d)) {
    if (BASE.has(k) || (k === 'searchable' && !extras.has('searchable'))) continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  if (typeof d.help === 'string') parts.push(`help: ${JSON.stringify(d.help)}`);
  return parts.join(' ');
}

function header(
  model: string,
  count: number,
  total: number,
  offset: number,
  shown: number,
  next: number | undefined,
  query: string | undefined,
  leftOut: Array<[string, InternalKind]>,
): string {
  const matching = query ? ` matching ${JSON.stringify(query)}` : '';
  if (total === 0) return `${model}: no field${matching} (of its ${count}); try a shorter word, or no query.`;
  const range =
    shown === total
      ? `${total} of its ${count} fields${matching}`
      : shown === 0
        ? `no field past offset ${offset}; ${total} of its ${count} fields${matching}`
        : `fields ${offset + 1}-${offset + shown} of ${total}${matching} (of its ${count})`;
  const parts = [`${model}: ${range}, in Odoo's order.`];
  if (leftOut.length) {
    const kinds = (Object.keys(KIND_TEXT) as InternalKind[])
      .map((kind) => [kind, leftOut.filter(([, k]) => k === kind).length] as const)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => `${n} ${KIND_TEXT[kind]}`)
      .join(', ');
    parts.push(
      `Left out ${leftOut.length} internal fields (${kinds}): find them with query, which searches all fields, or by name with fields.`,
    );
  }
  if (next !== undefined) parts.push(`More with offset=${next}.`);
  return parts.join(' ');
}

function unknownFieldsText(model: string, unknown: string[], names: string[]): string {
  const each = unknown.map((u) => {
    const near = closestMatches(u, names, 3);
    return near.length ? `"${u}" (closest: ${near.join(', ')})` : `"${u}"`;
  });
  return `${model} has no field ${each.join(', ')}. Use the exact names in fields, or find them with query (a word of the name or label).`;
}
