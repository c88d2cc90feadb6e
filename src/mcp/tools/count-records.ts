import { z } from 'zod';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { checkInputLimits, contextParam, domainParam, modelParam } from './params.js';

export default defineTool({
  name: 'count_records',
  title: 'Count records',
  description: `Count the records matching a domain without reading them ("how many open leads?"). For counts per group use aggregate_records.`,
  input: z.object({ model: modelParam, domain: domainParam.optional(), context: contextParam.optional() }),
  output: z.object({ count: z.number().int() }),
  annotations: READ_ONLY,
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { domain: args.domain, context: args.context });
    const count = await records.count(args.model, args.domain, args.context, signal);
    return { structured: { count }, text: `${count} ${args.model} record${count === 1 ? '' : 's'} match.` };
  },
});
