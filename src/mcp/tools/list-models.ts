import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';

export default defineTool({
  name: 'list_models',
  title: 'List models',
  description: `Find a model's technical name by a word of its name or label ("invoice" finds account.move). Lists the models this server may use.`,
  input: z.object({
    query: z.string().describe('e.g. "sale" or "invoice".').optional(),
    limit: z.number().int().min(1).max(500).describe('Default 50.').optional(),
  }),
  output: z.object({
    models: z.array(z.object({ model: z.string(), name: z.string() })),
    total: z.number().int(),
  }),
  annotations: READ_ONLY,
  async run(args, { catalog }, { signal }) {
    const r = await catalog.listModels(args.query, args.limit ?? 50, signal);
    const head =
      r.total === 0
        ? `No model matches "${args.query ?? ''}". Try a shorter word, or list_models without a query.`
        : `${r.total} model${r.total === 1 ? '' : 's'}${args.query ? ` matching "${args.query}"` : ''}${r.models.length < r.total ? `, first ${r.models.length}` : ''}:`;
    return {
      structured: r,
      text: [head, ...r.models.map((m) => `${m.model}: ${m.name}`)].join('\n'),
    };
  },
});
