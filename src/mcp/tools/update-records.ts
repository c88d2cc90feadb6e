import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import {
  boundedMissing,
  checkInputLimits,
  contextParam,
  idsParam,
  idsText,
  modelParam,
  outcomeField,
  recordSchema,
} from './params.js';

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
  output: z.object({ ids: z.array(z.number().int()), outcome: outcomeField }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  unknownOutcome: (args) => ({ ids: args.ids, outcome: 'unknown' as const }),
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { ids: args.ids, values: args.values, context: args.context });
    const { ids } = await records
      .update(args.model, args.ids, args.values, args.context, signal)
      .catch((err: unknown) => {
        throw boundedMissing(err, args.ids.length, records.limits.max_text_length);
      });
    return { structured: { ids }, text: `Updated ${idsText(args.model, ids)}.` };
  },
});
