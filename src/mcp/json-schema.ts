// Tool schemas that mean the same thing to every validator a client may run: the v1 SDK checks
// structured content with a draft-07 Ajv, the v2 SDK and most hosts read JSON Schema 2020-12, and
// some model providers map schemas onto a single-`type` dialect. zod writes 2020-12 (tuples as
// `prefixItems` + `items: false`, nullables as type arrays, safe-integer bounds on every int), so
// each schema is rewritten once into the keywords both drafts read alike. Validation stays zod's.
import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

/** Listed tool schemas by tool name, written into the bundle by scripts/bundle.mjs; absent under tsc or tsx. */
declare const __ODOO_MCP_LISTED_SCHEMAS__:
  | Record<string, { input: JsonSchema; output: JsonSchema }>
  | undefined;
export const PRECOMPUTED_SCHEMAS =
  typeof __ODOO_MCP_LISTED_SCHEMAS__ === 'undefined' ? undefined : __ODOO_MCP_LISTED_SCHEMAS__;

/** Keywords whose meaning is the same in draft-07 and 2020-12; anything else is a build error. */
const PORTABLE_KEYWORDS = new Set([
  'type',
  'description',
  'title',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'enum',
  'const',
  'anyOf',
  'default',
  'minProperties',
  'maxProperties',
]);

/** Keywords that only describe; a schema with nothing else accepts any value. */
const ANNOTATIONS = new Set(['description', 'title', 'default']);

/** Any JSON value, spelled out so that no validator sees an empty schema. */
const ANY_VALUE: JsonSchema[] = [
  { type: 'string' },
  { type: 'number' },
  { type: 'boolean' },
  { type: 'object' },
  { type: 'array' },
  { type: 'null' },
];

export class SchemaPortabilityError extends Error {}

function isAnything(s: JsonSchema): boolean {
  return Object.keys(s).every((k) => ANNOTATIONS.has(k));
}

function portable(node: unknown, path: string): JsonSchema {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw new SchemaPortabilityError(
      `${path}: a bare ${JSON.stringify(node)} where a schema object is expected`,
    );
  }
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === '$schema' || key === 'propertyNames') continue;
    if (!PORTABLE_KEYWORDS.has(key)) {
      throw new SchemaPortabilityError(
        `${path}: keyword "${key}" is read differently by draft-07 and 2020-12`,
      );
    }
    out[key] = value;
  }
  if (out.properties) {
    const props: Record<string, JsonSchema> = {};
    for (const [name, value] of Object.entries(out.properties as Record<string, unknown>)) {
      const p = portable(value, `${path}.properties.${name}`);
      props[name] = isAnything(p) ? { ...p, anyOf: ANY_VALUE } : p;
    }
    out.properties = props;
  }
  if ('items' in out) {
    const items = portable(out.items, `${path}.items`);
    if (isAnything(items)) delete out.items;
    else out.items = items;
  }
  if ('additionalProperties' in out && out.additionalProperties !== false) {
    const extra = portable(out.additionalProperties, `${path}.additionalProperties`);
    if (isAnything(extra)) delete out.additionalProperties;
    else out.additionalProperties = extra;
  }
  if (out.anyOf) {
    out.anyOf = (out.anyOf as unknown[]).map((s, i) => portable(s, `${path}.anyOf[${i}]`));
  }
  if (out.type === 'integer') {
    // zod bounds every int by the safe-integer range: noise to a model, and not a real limit.
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  }
  if (Array.isArray(out.type)) return splitTypes(out);
  return out;
}

/** `type: ["string", "null"]` becomes one `anyOf` branch per type, which single-type dialects read. */
function splitTypes(s: JsonSchema): JsonSchema {
  const { type, description, title, default: dflt, ...rest } = s;
  const branches = (type as string[]).map((t) => (t === 'null' ? { type: 'null' } : { type: t, ...rest }));
  const out: JsonSchema = { anyOf: branches };
  if (description !== undefined) out.description = description;
  if (title !== undefined) out.title = title;
  if (dflt !== undefined) out.default = dflt;
  return out;
}

/** The portable JSON Schema of a zod schema, as a tool's input or output. */
export function toPortableJsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // Written as 2020-12, then narrowed to what both drafts read alike; .positive() ints get inclusive bounds.
  const raw = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' }) as JsonSchema;
  return portable(intBounds(raw), io);
}

/** Integer exclusive bounds become inclusive ones (draft-04 and OpenAPI 3.0 read them as booleans). */
function intBounds(node: unknown): JsonSchema {
  if (typeof node !== 'object' || node === null) return node as JsonSchema;
  if (Array.isArray(node)) return node.map(intBounds) as unknown as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) out[k] = typeof v === 'object' ? intBounds(v) : v;
  if (out.type === 'integer') {
    if (typeof out.exclusiveMinimum === 'number') {
      out.minimum = Math.max(Number(out.minimum ?? -Infinity), out.exclusiveMinimum + 1);
      delete out.exclusiveMinimum;
    }
    if (typeof out.exclusiveMaximum === 'number') {
      out.maximum = Math.min(Number(out.maximum ?? Infinity), out.exclusiveMaximum - 1);
      delete out.exclusiveMaximum;
    }
  }
  return out;
}

interface StandardWithJson {
  '~standard': {
    version: 1;
    vendor: string;
    validate: (value: unknown) => unknown;
    jsonSchema: { input: () => JsonSchema; output: () => JsonSchema };
  };
}

const cache = new WeakMap<z.ZodType, Map<string, StandardWithJson>>();

/**
 * The zod schema as a Standard Schema the SDK registers: zod validates (its messages stay ours),
 * the listed JSON Schema is the portable one, computed once per schema and process.
 */
export function portableSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  /** The same listed schema, computed at build time (scripts/bundle.mjs): saves the conversion at start-up. */
  precomputed?: JsonSchema,
): StandardWithJson {
  let byIo = cache.get(schema);
  if (!byIo) {
    byIo = new Map();
    cache.set(schema, byIo);
  }
  const hit = byIo.get(io);
  if (hit) return hit;
  const json = precomputed ?? listedSchema(toPortableJsonSchema(schema, io), io);
  const wrapped: StandardWithJson = {
    '~standard': {
      version: 1,
      vendor: 'odoo-mcp-server',
      validate: (value) => schema['~standard'].validate(value),
      jsonSchema: { input: () => json, output: () => json },
    },
  };
  byIo.set(io, wrapped);
  return wrapped;
}

/**
 * What tools/list shows of a portable schema: every byte is read by the model on every turn, so
 * what it cannot use goes. Inputs keep types, enums, descriptions and real bounds, but no `pattern`
 * and no "at least one" (minLength, minItems, an id's minimum of 1): zod still enforces them, and
 * its error says what to fix. Outputs keep the top
 * level's property types: enough to find a key (zod still checks every result), while the text
 * result explains the values.
 */
export function listedSchema(schema: JsonSchema, io: 'input' | 'output'): JsonSchema {
  return io === 'input' ? leanInput(schema) : leanOutput(schema);
}

function leanInput(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' || (key === 'minLength' && value === 1) || (key === 'minItems' && value === 1))
      continue;
    if (key === 'minimum' && value === 1 && node.type === 'integer') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, leanInput(v)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
      out[key] = leanInput(value as JsonSchema);
    } else if (key === 'anyOf') {
      out.anyOf = (value as JsonSchema[]).map(leanInput);
    } else out[key] = value;
  }
  return out;
}

function leanOutput(root: JsonSchema): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, prop] of Object.entries((root.properties ?? {}) as Record<string, JsonSchema>)) {
    properties[name] = typeOnly(prop);
  }
  return { type: 'object', properties };
}

/** A property's type alone: `{type}`, or one branch per type of an anyOf. */
function typeOnly(prop: JsonSchema): JsonSchema {
  if (typeof prop.type === 'string') return { type: prop.type };
  if (Array.isArray(prop.anyOf)) {
    const types = [...new Set((prop.anyOf as JsonSchema[]).map((b) => b.type))];
    if (types.every((t) => typeof t === 'string')) return { anyOf: types.map((type) => ({ type })) };
  }
  return { anyOf: ANY_VALUE };
}
