import { z } from 'zod';
import { LISTED_IDS, listIds } from '../../services/records.js';
import { defineTool } from '../define-tool.js';
import {
  checkInputLimits,
  contextParam,
  modelParam,
  outcomeField,
  recordSchema,
  recoveredNote,
} from './params.js';

export default defineTool({
  name: 'create_records',
  title: 'Create records',
  description: `Create a record, or several from a list. many2one takes an id; x2many a list of ids to link, objects for new lines ([{"product_id": 5}]) or commands ([[4, 9, 0]]). describe_model shows required fields. Returns the new ids in order.`,
  input: z.object({
    model: modelParam,
    values: z
      .union([recordSchema, z.array(recordSchema).min(1)])
      .describe("A record's values, or a list of them."),
    context: contextParam.optional(),
  }),
  output: z.object({ ids: z.array(z.number().int()), outcome: outcomeField }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  unknownOutcome: () => ({ ids: [], outcome: 'unknown' as const }),
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { values: args.values, context: args.context });
    const { ids, recovered } = await records.create(args.model, args.values, args.context, signal);
    const plural = ids.length === 1 ? '' : 's';
    const listed =
      ids.length > LISTED_IDS ? `: ${listIds(ids, ids.length)}` : ` id${plural} ${ids.join(', ')}`;
    return {
      structured: recovered ? { ids, outcome: 'applied' as const } : { ids },
      text: `Created ${args.model}${listed}.${recoveredNote(recovered, `the call created ${ids.length === 1 ? 'this record' : 'these records'} (matched by values and creation time)`)}`,
    };
  },
});
