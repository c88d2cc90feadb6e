// Merges configuration sources (later wins): schema defaults, the JSON file, environment, CLI flags.
// Every problem is reported at once, one line each, naming the key, the bad value and the fix.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { closest } from '../util/text.js';
import { ALIAS_KEYS, type Config, configSchema, IGNORED_KEYS, SECRET_KEYS } from './schema.js';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** A path named on the command line; missing means search the default places. */
  file?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Values from CLI flags, already in config shape. */
  overrides?: Record<string, unknown>;
}

export interface LoadedConfig {
  config: Config;
  /** The file that was read, if any. */
  file?: string;
  warnings: string[];
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  description?: string;
  default?: unknown;
  anyOf?: JsonSchema[];
};

/** The input JSON Schema of the config; also feeds the docs generator. */
export function configJsonSchema(): JsonSchema {
  // Converting the schema costs tens of milliseconds at start-up: once per process, and only when a
  // file or an ODOO_MCP_* variable needs it. Callers only read it.
  jsonSchema ??= z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return jsonSchema;
}
let jsonSchema: JsonSchema | undefined;

const DEFAULT_FILES = ['odoo-mcp.json', 'odoo_mcp/config/config.json'];

/** The short env names the reference and most Odoo tools use. */
export const ENV_ALIASES: Record<string, string> = {
  ODOO_URL: 'odoo_url',
  ODOO_DB: 'database',
  ODOO_DATABASE: 'database',
  ODOO_USERNAME: 'username',
  ODOO_USER: 'username',
  ODOO_API_KEY: 'api_key',
  ODOO_PASSWORD: 'password',
  ODOO_PROTOCOL: 'protocol',
};

export function envNameFor(path: string[]): string {
  return `ODOO_MCP_${path.join('_').toUpperCase()}`;
}

/** Leaf keys of the schema as paths, with their JSON Schema. */
export function configLeaves(
  schema = configJsonSchema(),
  prefix: string[] = [],
): Array<[string[], JsonSchema]> {
  const out: Array<[string[], JsonSchema]> = [];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    if (sub.type === 'object' && sub.properties) out.push(...configLeaves(sub, [...prefix, key]));
    else out.push([[...prefix, key], sub]);
  }
  return out;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return 'enum';
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  return t ?? s.anyOf?.map(typeOf).find((x) => x !== 'null') ?? 'string';
}

function coerceEnv(raw: string, schema: JsonSchema, name: string, problems: string[]): unknown {
  switch (typeOf(schema)) {
    case 'integer':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) {
        problems.push(
          `${name}: expected a number, got ${JSON.stringify(raw)}; set it to a number such as 30.`,
        );
        return undefined;
      }
      return n;
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
      problems.push(`${name}: expected true or false, got ${JSON.stringify(raw)}.`);
      return undefined;
    }
    case 'array':
      try {
        return JSON.parse(raw);
      } catch {
        problems.push(`${name}: expected a JSON array, got ${JSON.stringify(raw)}.`);
        return undefined;
      }
    default:
      return raw;
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const cur = out[k];
    out[k] = isPlainObject(cur) && isPlainObject(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

function envValues(env: Record<string, string | undefined>, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_ALIASES)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') out[key] = raw;
  }
  if (!Object.keys(env).some((name) => name.startsWith('ODOO_MCP_'))) return out;
  for (const [path, schema] of configLeaves()) {
    const name = envNameFor(path);
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = coerceEnv(raw, schema, name, problems);
    if (value !== undefined) setPath(out, path, value);
  }
  return out;
}

/** Warns about keys the schema does not know, suggesting the closest known one. */
function unknownKeyWarnings(input: Record<string, unknown>, schema: JsonSchema, prefix: string[]): string[] {
  const warnings: string[] = [];
  const known = Object.keys(schema.properties ?? {});
  for (const [key, value] of Object.entries(input)) {
    const path = [...prefix, key];
    const sub = schema.properties?.[key];
    if (!sub) {
      if (prefix.length === 0 && (IGNORED_KEYS.has(key) || key in ALIAS_KEYS)) continue;
      const guess = closest(key, known);
      warnings.push(
        `config: unknown key "${path.join('.')}" is ignored${guess ? `; did you mean "${[...prefix, guess].join('.')}"?` : '.'}`,
      );
    } else if (sub.type === 'object' && isPlainObject(value)) {
      warnings.push(...unknownKeyWarnings(value, sub, path));
    }
  }
  return warnings;
}

/** Renders a rejected value without ever echoing a secret. */
function showValue(path: PropertyKey[], input: unknown): string {
  if (path.some((p) => typeof p === 'string' && SECRET_KEYS.has(p))) return '(hidden)';
  let node: unknown = input;
  for (const key of path) {
    if (!isPlainObject(node) && !Array.isArray(node)) return 'nothing';
    node = (node as Record<PropertyKey, unknown>)[key as string];
  }
  if (node === undefined) return 'nothing';
  const text = JSON.stringify(node);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `use a ${issue.expected}`;
    case 'too_small':
      return issue.inclusive === false
        ? `use a value greater than ${String(issue.minimum)}`
        : `use a value of at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.inclusive === false
        ? `use a value less than ${String(issue.maximum)}`
        : `use a value of at most ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'use a full URL such as http://localhost:8069'
        : `use a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

/** Reads the config file, reporting a bad path or bad JSON as a ConfigError line. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `config file ${path}: cannot be read (${code ?? 'error'}); check the path or omit it to use environment variables.`,
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([
      `config file ${path}: not valid JSON (${(err as Error).message}); fix the syntax (JSON allows no comments or trailing commas).`,
    ]);
  }
  if (!isPlainObject(parsed)) {
    throw new ConfigError([`config file ${path}: the top level must be a JSON object ({ ... }).`]);
  }
  return parsed;
}

function applyAliases(input: Record<string, unknown>): Record<string, unknown> {
  const out = { ...input };
  for (const [alias, key] of Object.entries(ALIAS_KEYS)) {
    if (alias in out) {
      // The reference writes transport_type "sse" for its HTTP mode; our streamable_http serves /sse too.
      const value = out[alias] === 'sse' ? 'streamable_http' : out[alias];
      if (out[key] === undefined) out[key] = value;
      delete out[alias];
    }
  }
  return out;
}

/** Finds the file to read: the explicit one, $ODOO_MCP_CONFIG, or the default places. */
export function findConfigFile(opts: LoadOptions): string | undefined {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.file) return resolve(cwd, opts.file);
  const fromEnv = opts.env?.ODOO_MCP_CONFIG;
  if (fromEnv) return resolve(cwd, fromEnv);
  return DEFAULT_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? {};
  const file = findConfigFile(opts);
  const problems: string[] = [];
  const fileValues = file ? applyAliases(readConfigFile(file)) : {};
  const warnings = file ? unknownKeyWarnings(fileValues, configJsonSchema(), []) : [];
  const merged = deepMerge(deepMerge(fileValues, envValues(env, problems)), opts.overrides ?? {});
  // Parsed once per process: zod's compiled fast path would cost more to build than it saves.
  const result = configSchema.safeParse(merged, { jitless: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '(top level)';
      problems.push(`config: ${key}: got ${showValue(issue.path, merged)}; ${fixFor(issue)}.`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return { config: result.data, file, warnings };
}

/** How a user sets a key, for error texts that tell them what to do. */
export function howToSet(key: string): string {
  const alias = Object.entries(ENV_ALIASES).find(([, k]) => k === key)?.[0];
  return `"${key}" in the config file${alias ? ` or ${alias}` : ` or ${envNameFor([key])}`}`;
}

/** Checks that what a real Odoo connection needs is present. */
export function requireOdooSettings(config: Config): void {
  const problems: string[] = [];
  if (!config.odoo_url)
    problems.push(`config: odoo_url is missing; set ${howToSet('odoo_url')} (or run with --demo).`);
  if (!config.username && config.protocol !== 'json2')
    problems.push(`config: username is missing; set ${howToSet('username')}.`);
  if (!config.api_key && !config.password)
    problems.push(
      `config: no credential; set ${howToSet('api_key')} (preferred) or ${howToSet('password')}.`,
    );
  if (config.protocol === 'json2' && !config.api_key)
    problems.push(`config: protocol "json2" needs an API key; set ${howToSet('api_key')}.`);
  if (problems.length > 0) throw new ConfigError(problems);
}
