import { z } from 'zod';
import { InputError } from '../../services/records.js';
import { defineTool } from '../define-tool.js';
import { compact } from '../format.js';
import { deeperThan } from '../inbound.js';
import { checkInputLimits, contextParam, modelParam, outcomeField } from './params.js';

export default defineTool({
  name: 'call_method',
  title: 'Call an Odoo model method',
  description: `Call a public method of an Odoo model, such as a workflow button: sale.order action_confirm, crm.lead action_set_won, account.move action_post, res.partner action_archive.
Use this tool when no other tool does the job. Pass ids for methods that act on records; args (positional) and kwargs (named) as the method expects.
Returns the method's result (null when it returns nothing). Methods starting with "_" are private and refused.`,
  input: z.object({
    model: modelParam,
    method: z
      .string()
      .min(1, 'method is empty: give a method name such as "action_confirm"')
      .describe('Method name, e.g. "action_confirm".'),
    ids: z
      .array(z.number().int().positive())
      .describe('Records to call the method on; omit for model-level methods.')
      .optional(),
    args: z.array(z.unknown()).describe('Positional arguments after the records.').optional(),
    kwargs: z.record(z.string(), z.unknown()).describe('Named arguments.').optional(),
    context: contextParam.optional(),
  }),
  output: z.object({ result: z.unknown(), outcome: outcomeField }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  unknownOutcome: () => ({ result: null, outcome: 'unknown' as const }),
  async run(args, { records }, { signal }) {
    const { limits } = records;
    checkInputLimits(limits, { ids: args.ids, context: args.context });
    if (
      deeperThan(args.args ?? [], limits.max_depth + 1) ||
      deeperThan(args.kwargs ?? {}, limits.max_depth)
    ) {
      throw new InputError(
        `args or kwargs are nested more than ${limits.max_depth} levels deep (limits.max_depth); pass plain values, ids, lists and domains.`,
      );
    }
    const result = await records.callMethod(args, signal);
    const shown =
      result === null || result === undefined
        ? 'null (the method returned nothing)'
        : JSON.stringify(compact(result));
    return { structured: { result: result ?? null }, text: `${args.model}.${args.method} returned ${shown}` };
  },
});
