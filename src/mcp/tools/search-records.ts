import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { pageHeader, recordLines } from '../format.js';
import {
  checkInputLimits,
  contextParam,
  domainParam,
  fieldsParam,
  modelParam,
  recordSchema,
} from './params.js';

export default defineTool({
  name: 'search_records',
  title: 'Search Odoo records',
  description: `Find records of an Odoo model and return their main fields, with paging.
Use this tool when you need to: list or look up records (customers, orders, products, leads...), filter by a domain, or find ids for other tools.
Returns records (many2one fields as {id, name}, empty values as null), the total count, has_more and next_offset for the next page.
Use count_records when only the number matters, aggregate_records for sums and group totals, read_records when you already know the ids.`,
  input: z.object({
    model: modelParam,
    domain: domainParam.optional(),
    fields: fieldsParam.optional(),
    limit: z
      .number()
      .int()
      .describe('Most records to return (default 20; the server caps it, 500 unless configured).')
      .optional(),
    offset: z
      .number()
      .int()
      .describe('Records to skip, for paging: pass next_offset from the previous answer.')
      .optional(),
    order: z.string().describe('Sort order, e.g. "date_order desc, id" or "name".').optional(),
    query: z
      .string()
      .describe(
        "Free text matched against the record name the way Odoo's own search box does (e.g. a partner's name, email or reference).",
      )
      .optional(),
    context: contextParam.optional(),
  }),
  output: z.object({
    records: z.array(recordSchema),
    total: z.number().int(),
    has_more: z.boolean(),
    next_offset: z.number().int().nullable(),
    warning: z.string().optional(),
  }),
  annotations: READ_ONLY,
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { fields: args.fields, domain: args.domain, context: args.context });
    const r = await records.search(args, signal);
    const offset = args.offset ?? 0;
    const text = [
      pageHeader(args.model, r.records.length, r.total, offset, r.next_offset),
      r.warning ? `Warning: ${r.warning}` : '',
      recordLines(r.records),
    ]
      .filter(Boolean)
      .join('\n');
    return {
      structured: {
        records: r.records,
        total: r.total,
        has_more: r.has_more,
        next_offset: r.next_offset,
        ...(r.warning ? { warning: r.warning } : {}),
      },
      text,
    };
  },
});
