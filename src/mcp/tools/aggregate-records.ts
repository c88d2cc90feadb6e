import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { recordLines } from '../format.js';
import { checkInputLimits, contextParam, domainParam, modelParam, recordSchema } from './params.js';

export default defineTool({
  name: 'aggregate_records',
  title: 'Group and total records',
  description: `Group and total records, like a pivot table: sums, averages or counts per customer, stage, month... Far cheaper than reading them. Returns one entry per group: its group_by values and aggregates.`,
  input: z.object({
    model: modelParam,
    domain: domainParam.optional(),
    group_by: z
      .array(z.string())
      .min(1, 'group_by needs at least one field')
      .describe('e.g. ["partner_id", "date_order:month"] (:day :week :month :quarter :year).'),
    aggregates: z
      .array(z.string())
      .describe('e.g. ["amount_total:sum"]; also :avg :min :max :count_distinct; default ["__count"].')
      .optional(),
    order: z.string().describe('e.g. "amount_total:sum desc" (19+), "amount_total desc" before.').optional(),
    limit: z.number().int().describe('Most groups.').optional(),
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
