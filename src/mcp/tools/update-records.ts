import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { contextParam, idsParam, modelParam, recordSchema } from './params.js';

export default defineTool({
  name: 'update_records',
  title: 'Update Odoo records',
  description: `Write the same field values to one or more existing records.
Use this tool when you need to change data (rename, change stage, set a salesperson, add tags...).
Values as in create_records; a list of ids on a many2many REPLACES its links (use [[4, id, 0]] to add one, [[3, id, 0]] to remove one); null clears a field.
Returns the ids written. Odoo's validation errors come back as errors quoting Odoo's message.`,
  input: z.object({
    model: modelParam,
    ids: idsParam,
    values: recordSchema.describe('Field values to write, e.g. {"phone": "+32 2 123 45 67", "user_id": 2}.'),
    context: contextParam.optional(),
  }),
  output: z.object({ ids: z.array(z.number().int()) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(args, { records }, { signal }) {
    const ids = await records.update(args.model, args.ids, args.values, args.context, signal);
    return { structured: { ids }, text: `Updated ${args.model} ${ids.join(', ')}.` };
  },
});
