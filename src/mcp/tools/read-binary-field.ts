import { z } from 'zod';
import { type ContentBlock, defineTool, READ_ONLY } from '../define-tool.js';
import { binaryUri } from '../resources/uris.js';
import { modelParam } from './params.js';

export default defineTool({
  name: 'read_binary_field',
  title: 'Read a file',
  description: `Fetch the file or image in a binary field of one record; other tools never return file content. Returns it with its MIME type and a resource link.`,
  input: z.object({
    model: modelParam,
    id: z.number().int().positive().describe('Record id.'),
    field: z.string().min(1).describe('e.g. "image_1920" (res.partner), "datas" (ir.attachment).'),
  }),
  output: z.object({
    uri: z.string(),
    mime_type: z.string().optional(),
    size: z.number().int(),
    filename: z.string().optional(),
    empty: z.boolean(),
  }),
  annotations: READ_ONLY,
  async run(args, { records }, { signal }) {
    const uri = binaryUri(args.model, args.field, args.id);
    const file = await records.binary(args.model, args.id, args.field, signal);
    if (!file) {
      return {
        structured: { uri, size: 0, empty: true },
        text: `${args.model} ${args.id} has no content in ${args.field}.`,
      };
    }
    const content: ContentBlock =
      file.mimeType.startsWith('image/') && file.mimeType !== 'image/svg+xml'
        ? { type: 'image', data: file.base64, mimeType: file.mimeType }
        : { type: 'resource', resource: { uri, mimeType: file.mimeType, blob: file.base64 } };
    return {
      structured: { uri, mime_type: file.mimeType, size: file.size, filename: file.filename, empty: false },
      text: `${args.model} ${args.id} ${args.field}: ${file.mimeType}, ${file.size} bytes${file.filename ? `, "${file.filename}"` : ''}.`,
      extra: [content, { type: 'resource_link', uri, name: file.filename, mimeType: file.mimeType }],
    };
  },
});
