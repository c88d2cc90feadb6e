import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { checkInputLimits, contextParam, domainParam, modelParam } from './params.js';

export default defineTool({
  name: 'count_records',
  title: 'Count Odoo records',
  description: `Count the records of an Odoo model that match a domain, without reading them.
Use this tool when you need a number ("how many open leads?"). Use aggregate_records for counts per group.`,
  input: z.object({ model: modelParam, domain: domainParam.optional(), context: contextParam.optional() }),
  output: z.object({ count: z.number().int() }),
  annotations: READ_ONLY,
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { domain: args.domain, context: args.context });
    const count = await records.count(args.model, args.domain, args.context, signal);
    return { structured: { count }, text: `${count} ${args.model} record${count === 1 ? '' : 's'} match.` };
  },
});
