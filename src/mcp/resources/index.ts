// Odoo records as MCP resources: one record, a list, a binary field, a model's schema, and the
// instance itself. Template variables complete from Odoo and honour the allow/deny policy.
import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from '@modelcontextprotocol/server';
import { AccessError, MissingError, UnknownModelError } from '../../odoo/errors.js';
import { PolicyError } from '../../services/policy.js';
import { InputError, MissingIdsError } from '../../services/records.js';
import type { ToolDeps } from '../define-tool.js';
import { describeError } from '../errors.js';
import { checkInputLimits } from '../tools/params.js';
import { OptionalQueryTemplate } from './query-template.js';
import {
  BINARY_TEMPLATE,
  FIELDS_TEMPLATE,
  INSTANCE_URI,
  LIST_TEMPLATE,
  listUri,
  RECORD_TEMPLATE,
} from './uris.js';

const JSON_TYPE = 'application/json';
export const MAX_COMPLETIONS = 100;

/** A variable value from a template match (they may come as lists). */
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

function positiveId(raw: string, uri: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ResourceNotFoundError(
      uri,
      `"${raw}" is not a record id; use odoo://MODEL/ID with a number, e.g. odoo://res.partner/7`,
    );
  }
  return Number(raw);
}

/** Odoo failures as MCP errors: what is not there is "not found", the rest keeps Odoo's words. */
export async function resourceError(
  err: unknown,
  uri: string,
  model: string,
  deps: ToolDeps,
): Promise<Error> {
  if (err instanceof ResourceNotFoundError || err instanceof ProtocolError) return err;
  const text = await describeError(err, {
    model,
    catalog: deps.catalog,
    logger: deps.logger,
    redact: deps.redact,
    credentials: deps.credentials,
  });
  if (err instanceof UnknownModelError || err instanceof MissingError || err instanceof MissingIdsError) {
    return new ResourceNotFoundError(uri, text);
  }
  if (err instanceof PolicyError || err instanceof InputError)
    return new ProtocolError(ProtocolErrorCode.InvalidParams, text);
  if (err instanceof AccessError) return new ProtocolError(ProtocolErrorCode.InvalidRequest, text);
  return new ProtocolError(ProtocolErrorCode.InternalError, text);
}

function jsonContents(uri: string, value: unknown) {
  return { contents: [{ uri, mimeType: JSON_TYPE, text: JSON.stringify(value) }] };
}

export function registerResources(server: McpServer, deps: ToolDeps, listModels: readonly string[]): void {
  const completeModel = async (value: string) => {
    const models = await deps.catalog.allModels().catch(() => []);
    const v = value.toLowerCase();
    return models
      .map((m) => m.model)
      .filter((m) => m.toLowerCase().startsWith(v))
      .slice(0, MAX_COMPLETIONS);
  };
  const completeField = async (value: string, context?: { arguments?: Record<string, string> }) => {
    const model = context?.arguments?.model;
    if (!model || !deps.policy.modelAllowed(model)) return [];
    const fields = await deps.catalog.fields(model).catch(() => ({}));
    return Object.keys(fields)
      .filter((f) => f.startsWith(value))
      .sort()
      .slice(0, MAX_COMPLETIONS);
  };
  const completeBinaryField = async (value: string, context?: { arguments?: Record<string, string> }) => {
    const model = context?.arguments?.model;
    if (!model || !deps.policy.modelAllowed(model)) return [];
    const fields = await deps.catalog.fields(model).catch(() => ({}) as Record<string, { type: string }>);
    return Object.entries(fields)
      .filter(([f, meta]) => meta.type === 'binary' && f.startsWith(value))
      .map(([f]) => f)
      .sort()
      .slice(0, MAX_COMPLETIONS);
  };

  server.registerResource(
    'instance-info',
    INSTANCE_URI,
    {
      title: 'Odoo instance',
      description:
        'Odoo version, protocol, database, user, company, and the URL pattern for links to records.',
      mimeType: JSON_TYPE,
    },
    async (uri) => {
      try {
        return jsonContents(uri.href, await deps.instance.info());
      } catch (err) {
        throw await resourceError(err, uri.href, '', deps);
      }
    },
  );

  // More specific templates first: the SDK takes the first template that matches.
  server.registerResource(
    'model-fields',
    new ResourceTemplate(FIELDS_TEMPLATE, { list: undefined, complete: { model: completeModel } }),
    {
      title: 'Model schema',
      description:
        "Every field of an Odoo model with all of Odoo's attributes (fields_get); describe_model gives a shorter view.",
      mimeType: JSON_TYPE,
    },
    async (uri, vars) => {
      const model = one(vars.model);
      try {
        deps.policy.assertModel(model);
        const fields = await deps.catalog.fields(model);
        return jsonContents(uri.href, { model, fields });
      } catch (err) {
        throw await resourceError(err, uri.href, model, deps);
      }
    },
  );

  server.registerResource(
    'record-list',
    new ResourceTemplate(new OptionalQueryTemplate(LIST_TEMPLATE), {
      list: async () => {
        const allowed = listModels.filter((m) => deps.policy.modelAllowed(m));
        return {
          resources: allowed.map((m) => ({ uri: listUri(m), name: `${m} records`, mimeType: JSON_TYPE })),
        };
      },
      complete: { model: completeModel, fields: completeField },
    }),
    {
      title: 'Record list',
      description:
        'Records of a model as JSON, with optional query parameters: domain (JSON), fields (comma-separated), limit, offset, order.',
      mimeType: JSON_TYPE,
    },
    async (uri, vars) => {
      const model = one(vars.model);
      try {
        let domain: unknown[] | undefined;
        const rawDomain = one(vars.domain);
        if (rawDomain) {
          try {
            domain = JSON.parse(rawDomain) as unknown[];
          } catch {
            throw new InputError(`domain is not valid JSON: ${rawDomain}`);
          }
        }
        const rawFields = one(vars.fields);
        const fields = rawFields
          ? rawFields
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean)
          : undefined;
        checkInputLimits(deps.records.limits, { domain, fields });
        const num = (raw: string, name: string) => {
          if (!raw) return undefined;
          if (!/^\d+$/.test(raw)) throw new InputError(`${name} must be a whole number, got "${raw}"`);
          return Number(raw);
        };
        const result = await deps.records.search({
          model,
          domain,
          fields,
          limit: num(one(vars.limit), 'limit'),
          offset: num(one(vars.offset), 'offset'),
          order: one(vars.order) || undefined,
        });
        const { fields: _fields, ...page } = result;
        return jsonContents(uri.href, { model, ...page });
      } catch (err) {
        throw await resourceError(err, uri.href, model, deps);
      }
    },
  );

  server.registerResource(
    'binary-field',
    new ResourceTemplate(BINARY_TEMPLATE, {
      list: undefined,
      complete: { model: completeModel, field: completeBinaryField },
    }),
    {
      title: 'Binary field',
      description:
        'The content of a binary field (image, PDF...) of one record, as a blob with its MIME type.',
    },
    async (uri, vars) => {
      const model = one(vars.model);
      try {
        const id = positiveId(one(vars.id), uri.href);
        const file = await deps.records.binary(model, id, one(vars.field));
        if (!file)
          throw new ResourceNotFoundError(uri.href, `${model} ${id} has no content in ${one(vars.field)}`);
        return { contents: [{ uri: uri.href, mimeType: file.mimeType, blob: file.base64 }] };
      } catch (err) {
        throw await resourceError(err, uri.href, model, deps);
      }
    },
  );

  server.registerResource(
    'record',
    new ResourceTemplate(RECORD_TEMPLATE, { list: undefined, complete: { model: completeModel } }),
    { title: 'Odoo record', description: 'One record with its main fields, as JSON.', mimeType: JSON_TYPE },
    async (uri, vars) => {
      const model = one(vars.model);
      try {
        const id = positiveId(one(vars.id), uri.href);
        const r = await deps.records.read(model, [id], undefined);
        const record = r.records[0];
        if (!record) throw new MissingIdsError(model, [id]);
        return jsonContents(uri.href, record);
      } catch (err) {
        throw await resourceError(err, uri.href, model, deps);
      }
    },
  );
}
