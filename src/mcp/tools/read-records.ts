import { z } from 'zod';
import { LISTED_IDS, listIds } from '../../services/records.js';
import { defineTool, READ_ONLY } from '../define-tool.js';
import { recordLines } from '../format.js';
import {
  boundedMissing,
  checkInputLimits,
  contextParam,
  fieldsParam,
  idsParam,
  modelParam,
  recordSchema,
} from './params.js';

export default defineTool({
  name: 'read_records',
  title: 'Read records',
  description: `Read records whose ids you know. Returns their fields, and missing_ids for ids that do not exist or this user cannot see.`,
  input: z.object({
    model: modelParam,
    ids: idsParam,
    fields: fieldsParam.optional(),
    context: contextParam.optional(),
  }),
  output: z.object({ records: z.array(recordSchema), missing_ids: z.array(z.number().int()) }),
  annotations: READ_ONLY,
  async run(args, { records }, { signal }) {
    checkInputLimits(records.limits, { ids: args.ids, fields: args.fields, context: args.context });
    const r = await records
      .read(args.model, args.ids, args.fields, args.context, signal)
      .catch((err: unknown) => {
        throw boundedMissing(err, args.ids.length, records.limits.max_text_length);
      });
    const lines = [recordLines(r.records)];
    const missing = r.missing_ids;
    if (missing.length > LISTED_IDS) {
      lines.push(
        `Not found (deleted, or not visible to this user): ${listIds(missing, args.ids.length)} of ${args.model}; missing_ids in the structured result lists them all.`,
      );
    } else if (missing.length > 0) {
      lines.push(
        `Not found (deleted, or not visible to this user): ${args.model} ids ${missing.join(', ')}.`,
      );
    }
    return {
      structured: { records: r.records, missing_ids: r.missing_ids },
      text: lines.filter(Boolean).join('\n') || `No ${args.model} records found.`,
    };
  },
});
