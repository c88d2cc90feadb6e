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
  title: 'Create Odoo records',
  description: `Create one record, or several at once, in an Odoo model.
Use this tool when you need to add data: a contact, a lead, a quotation with its lines...
Values: field -> value. many2one takes an id (7) or {"id": 7}; many2many/one2many take a list of ids to link ([1, 2]), new lines as objects ([{"product_id": 5, "product_uom_qty": 2}]), or commands ([[4, 9, 0]], {"create": {...}}). Use describe_model to see required fields.
Returns the new ids in order.`,
  input: z.object({
    model: modelParam,
    values: z
      .union([recordSchema, z.array(recordSchema).min(1)])
      .describe('Field values of the new record, or a list of them to create several records in one call.'),
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
