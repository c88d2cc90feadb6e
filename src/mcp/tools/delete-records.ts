import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { contextParam, idsParam, modelParam } from './params.js';

export default defineTool({
  name: 'delete_records',
  title: 'Delete Odoo records',
  description: `Delete records permanently (Odoo's unlink).
Use this tool only when the user asked to delete. Prefer archiving when the model has an "active" field: update_records with {"active": false} keeps history.
Returns the deleted ids. Odoo refuses some deletions (e.g. confirmed sales orders) with a message saying what to do first.`,
  input: z.object({ model: modelParam, ids: idsParam, context: contextParam.optional() }),
  output: z.object({ deleted_ids: z.array(z.number().int()) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(args, { records }, { signal }) {
    const ids = await records.delete(args.model, args.ids, args.context, signal);
    return { structured: { deleted_ids: ids }, text: `Deleted ${args.model} ${ids.join(', ')}.` };
  },
});
