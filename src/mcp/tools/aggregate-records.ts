import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { recordLines } from '../format.js';
import { checkInputLimits, contextParam, domainParam, modelParam, recordSchema } from './params.js';

export default defineTool({
  name: 'aggregate_records',
  title: 'Group and total Odoo records',
  description: `Group records of an Odoo model and compute totals per group (like a pivot table), in Odoo.
Use this tool when you need sums, averages or counts per customer, stage, salesperson, month...: it is far cheaper than reading every record.
Returns one entry per group: the group_by values (many2one as {id, name}, dates as labels like "March 2026") and the requested aggregates keyed as given.`,
  input: z.object({
    model: modelParam,
    domain: domainParam.optional(),
    group_by: z
      .array(z.string())
      .min(1, 'group_by needs at least one field')
      .describe(
        'Fields to group by, e.g. ["partner_id"] or ["date_order:month", "user_id"]. Dates accept :day, :week, :month, :quarter, :year.',
      ),
    aggregates: z
      .array(z.string())
      .describe(
        'What to compute per group: "field:sum", "field:avg", "field:min", "field:max", "field:count_distinct", or "__count" (records per group). Default ["__count"].',
      )
      .optional(),
    order: z
      .string()
      .describe('Order of the groups, e.g. "amount_total:sum desc" on 19+, or "amount_total desc".')
      .optional(),
    limit: z.number().int().describe('Most groups to return.').optional(),
    context: contextParam.optional(),
  }),
  output: z.object({ groups: z.array(recordSchema) }),
  annotations: READ_ONLY,
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, {
      groups: args.group_by.length + (args.aggregates?.length ?? 0),
      domain: args.domain,
      context: args.context,
    });
    const groups = await records.aggregate(args, signal);
    return {
      structured: { groups },
      text:
        groups.length === 0
          ? `${args.model}: no records match, so no groups.`
          : `${groups.length} groups:\n${recordLines(groups)}`,
    };
  },
});
