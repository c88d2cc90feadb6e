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
  title: 'Update records',
  description: `Write the same values to existing records. A list of ids on a many2many REPLACES its links ([[4, id, 0]] adds one, [[3, id, 0]] removes one); null clears a field. Returns the ids written.`,
  input: z.object({
    model: modelParam,
    ids: idsParam,
    values: recordSchema.describe('e.g. {"phone": "+32 2 123 45 67", "user_id": 2}.'),
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
