import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import {
  boundedMissing,
  checkInputLimits,
  contextParam,
  idsParam,
  idsText,
  modelParam,
  outcomeField,
  recoveredNote,
} from './params.js';

export default defineTool({
  name: 'delete_records',
  title: 'Delete records',
  description: `Delete records for good (unlink), only when the user asked to. Where the model has an "active" field, archiving with update_records {"active": false} keeps history. Returns the deleted ids.`,
  input: z.object({ model: modelParam, ids: idsParam, context: contextParam.optional() }),
  output: z.object({ deleted_ids: z.array(z.number().int()), outcome: outcomeField }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  unknownOutcome: () => ({ deleted_ids: [], outcome: 'unknown' as const }),
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { ids: args.ids, context: args.context });
    const { ids, recovered } = await records
      .delete(args.model, args.ids, args.context, signal)
      .catch((err: unknown) => {
        throw boundedMissing(err, args.ids.length, records.limits.max_text_length);
      });
    return {
      structured: recovered ? { deleted_ids: ids, outcome: 'applied' as const } : { deleted_ids: ids },
      text: `Deleted ${idsText(args.model, ids)}.${recoveredNote(recovered, 'the records are gone')}`,
    };
  },
});
