import { z } from 'zod';
import { InputError } from '../../services/records.js';
import { defineTool } from '../define-tool.js';
import { compact } from '../format.js';
import { deeperThan } from '../inbound.js';
import { checkInputLimits, contextParam, modelParam, outcomeField } from './params.js';

export default defineTool({
  name: 'call_method',
  title: 'Call a method',
  description: `Call a public model method when no other tool fits, e.g. a button: sale.order action_confirm, crm.lead action_set_won, account.move action_post. Returns its result (null for none).`,
  input: z.object({
    model: modelParam,
    method: z
      .string()
      .min(1, 'method is empty: give a method name such as "action_confirm"')
      .describe('e.g. "action_confirm".'),
    ids: z.array(z.number().int().positive()).describe('Omit for model methods.').optional(),
    args: z.array(z.unknown()).describe('Positional, after the records.').optional(),
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
