import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { modelParam } from './params.js';

const fieldSchema = z.object({
  name: z.string(),
  type: z.string(),
  label: z.string().optional(),
  required: z.boolean(),
  readonly: z.boolean(),
  relation: z.string().optional(),
  // [value, label] pairs; a fixed-length array rather than a tuple, which draft-07 reads differently.
  // Values are strings, except on the few selections Odoo keys by integer.
  selection: z.array(z.array(z.union([z.string(), z.number()])).length(2)).optional(),
  help: z.string().optional(),
});

export default defineTool({
  name: 'describe_model',
  title: 'Describe an Odoo model',
  description: `List the fields of an Odoo model: name, type, label, required, readonly, related model, selection values, help.
Use this tool before writing a domain, choosing fields, or creating/updating records, to get field names and allowed values right.
Filter with query to keep the answer short (matches names and labels).`,
  input: z.object({
    model: modelParam,
    query: z
      .string()
      .describe('Only fields whose name or label contains this text, e.g. "date" or "partner".')
      .optional(),
    attributes: z
      .array(z.enum(['type', 'label', 'required', 'readonly', 'relation', 'selection', 'help']))
      .describe('Attributes to show in the text (all are in the structured result). Default: all but help.')
      .optional(),
  }),
  output: z.object({ model: z.string(), fields: z.array(fieldSchema) }),
  annotations: READ_ONLY,
  async run(args, { catalog, policy }, { signal }) {
    policy.assertModel(args.model);
    const meta = await catalog.fields(args.model, signal);
    const q = args.query?.toLowerCase();
    const fields = Object.entries(meta)
      .filter(
        ([name, f]) => !q || name.toLowerCase().includes(q) || (f.string ?? '').toLowerCase().includes(q),
      )
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, f]) => ({
        name,
        type: f.type,
        ...(f.string ? { label: f.string } : {}),
        required: f.required === true,
        readonly: f.readonly === true,
        ...(f.relation ? { relation: f.relation } : {}),
        ...(Array.isArray(f.selection) ? { selection: f.selection as Array<[string | number, string]> } : {}),
        ...(f.help ? { help: f.help } : {}),
      }));
    const shown = new Set(
      args.attributes ?? ['type', 'label', 'required', 'readonly', 'relation', 'selection'],
    );
    const lines = fields.map((f) => {
      const parts = [f.name];
      if (shown.has('type'))
        parts.push(f.relation && shown.has('relation') ? `${f.type}->${f.relation}` : f.type);
      if (shown.has('label') && f.label) parts.push(JSON.stringify(f.label));
      if (shown.has('required') && f.required) parts.push('required');
      if (shown.has('readonly') && f.readonly) parts.push('readonly');
      if (shown.has('selection') && f.selection)
        parts.push(`values: ${f.selection.map(([k]) => k).join('|')}`);
      if (shown.has('help') && f.help) parts.push(`help: ${f.help}`);
      return parts.join(' ');
    });
    const head = `${args.model}: ${fields.length} field${fields.length === 1 ? '' : 's'}${q ? ` matching "${args.query}"` : ''}.`;
    return { structured: { model: args.model, fields }, text: [head, ...lines].join('\n') };
  },
});
