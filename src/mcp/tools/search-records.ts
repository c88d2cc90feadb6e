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
  title: 'Search records',
  description: `Find records by domain or text, a page at a time. Returns their main fields (or those asked), total, has_more and next_offset. For a number use count_records, for group totals aggregate_records, for known ids read_records.`,
  input: z.object({
    model: modelParam,
    domain: domainParam.optional(),
    fields: fieldsParam.optional(),
    limit: z.number().int().describe('Default 20 (server-capped).').optional(),
    offset: z.number().int().describe("The last page's next_offset.").optional(),
    order: z.string().describe('e.g. "date_order desc, id".').optional(),
    query: z.string().describe("Text, as in Odoo's search box.").optional(),
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
