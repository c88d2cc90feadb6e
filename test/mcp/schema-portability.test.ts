// Every tool schema means the same to a draft-07 validator (the v1 SDK's Ajv, which most shipped
// clients embed) and a 2020-12 one (the v2 SDK, Inspector 2.x): both compile it in strict mode, and
// real outputs of every tool, on every Odoo profile, pass both.
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SchemaPortabilityError, toPortableJsonSchema } from '../../src/mcp/json-schema.js';
import { TOOLS } from '../../src/mcp/tools/index.js';
import { type Harness, startHarness } from '../helpers/mcp.js';

const VERSIONS = ['15.0', '16.0', '17.0', '18.0', '19.0'] as const;

const validators = () => ({
  'draft-07': new Ajv({ strict: true, allErrors: true }),
  '2020-12': new Ajv2020({ strict: true, allErrors: true }),
});

/** Representative calls of every tool, each expected to succeed. */
const CALLS: Array<[string, Record<string, unknown>]> = [
  ['search_records', { model: 'res.partner', domain: [['is_company', '=', true]], limit: 3 }],
  ['search_records', { model: 'res.partner', fields: ['name', 'country_id', 'category_id'], limit: 50 }],
  ['read_records', { model: 'res.partner', ids: [1, 3] }],
  ['count_records', { model: 'sale.order' }],
  [
    'aggregate_records',
    { model: 'sale.order', group_by: ['partner_id'], aggregates: ['amount_total:sum', '__count'] },
  ],
  ['aggregate_records', { model: 'sale.order', group_by: ['date_order:month'] }],
  ['list_models', { query: 'sale' }],
  ['describe_model', { model: 'res.partner' }],
  ['describe_model', { model: 'crm.lead', attributes: ['help', 'selection', 'default', 'store'] }],
  ['describe_model', { model: 'res.partner', fields: ['tz', 'child_ids', 'active'] }],
  ['create_records', { model: 'res.partner', values: { name: 'Portable Schema Test' } }],
  ['update_records', { model: 'res.partner', ids: [1], values: { phone: '+1 555 0100' } }],
  ['call_method', { model: 'res.partner', method: 'search_count', args: [[]] }],
  ['call_method', { model: 'res.partner', method: 'read', ids: [1], args: [['name']] }],
  ['read_binary_field', { model: 'res.partner', id: 1, field: 'image_1920' }],
  ['read_binary_field', { model: 'res.partner', id: 3, field: 'image_1920' }],
];

describe('tool schemas compile alike under draft-07 and 2020-12', () => {
  for (const tool of TOOLS) {
    it(tool.name, () => {
      for (const io of ['input', 'output'] as const) {
        const schema = toPortableJsonSchema(io === 'input' ? tool.input : tool.output, io);
        expect(JSON.stringify(schema)).not.toMatch(
          /prefixItems|\$schema|\$defs|propertyNames|9007199254740991/,
        );
        for (const [draft, ajv] of Object.entries(validators())) {
          expect(() => ajv.compile(schema), `${tool.name} ${io} on ${draft}`).not.toThrow();
        }
      }
    });
  }

  it('refuses a schema a draft-07 validator would read differently', () => {
    const tuple = z.object({ pair: z.tuple([z.string(), z.string()]) });
    expect(() => toPortableJsonSchema(tuple, 'output')).toThrow(SchemaPortabilityError);
  });

  it('spells out nullables and free values without type arrays or empty schemas', () => {
    const s = toPortableJsonSchema(
      z.object({ n: z.number().int().nullable(), v: z.unknown(), m: z.record(z.string(), z.unknown()) }),
      'output',
    );
    expect(s.properties).toEqual({
      n: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      v: { anyOf: expect.arrayContaining([{ type: 'object' }, { type: 'null' }]) },
      m: { type: 'object' },
    });
  });
});

for (const version of VERSIONS) {
  describe(`real tool outputs on Odoo ${version} pass both drafts`, () => {
    let h: Harness;
    beforeAll(async () => {
      // Output schemas listed (tools.output_schemas), as clients that validate results see them.
      h = await startHarness({ version, era: 'legacy', config: { tools: { output_schemas: true } } });
    });
    afterAll(async () => {
      await h.close();
    });

    it('every tool, as listed by the server', async () => {
      const { tools } = await h.client.listTools();
      const byName = new Map(tools.map((t) => [t.name, t]));
      const seen = new Set<string>();
      const ajvs = validators();
      for (const [name, args] of CALLS) {
        const listed = byName.get(name);
        expect(listed, name).toBeDefined();
        const result = await h.client.callTool({ name, arguments: args });
        expect(result.isError, `${name} ${JSON.stringify(result.content).slice(0, 300)}`).not.toBe(true);
        for (const [draft, ajv] of Object.entries(ajvs)) {
          const checkInput = ajv.compile(listed?.inputSchema ?? {});
          expect(checkInput(args), `${name} input on ${draft}: ${ajv.errorsText(checkInput.errors)}`).toBe(
            true,
          );
          expect(listed?.outputSchema, name).toBeDefined();
          const checkOutput = ajv.compile(listed?.outputSchema ?? {});
          expect(
            checkOutput(result.structuredContent),
            `${name} output on ${draft}: ${ajv.errorsText(checkOutput.errors)}`,
          ).toBe(true);
          // The full schema too (tools/list shows a lean one): nested shapes, required keys, enums.
          const tool = TOOLS.find((t) => t.name === name);
          const checkFull = ajv.compile(toPortableJsonSchema(tool?.output ?? z.object({}), 'output'));
          expect(
            checkFull(result.structuredContent),
            `${name} full output on ${draft}: ${ajv.errorsText(checkFull.errors)}`,
          ).toBe(true);
        }
        seen.add(name);
      }
      // delete_records last, on the record created above.
      const created = await h.client.callTool({
        name: 'create_records',
        arguments: { model: 'res.partner', values: { name: 'To delete' } },
      });
      const ids = (created.structuredContent as { ids: number[] }).ids;
      const deleted = await h.client.callTool({
        name: 'delete_records',
        arguments: { model: 'res.partner', ids },
      });
      expect(deleted.isError).not.toBe(true);
      for (const [draft, ajv] of Object.entries(ajvs)) {
        const check = ajv.compile(byName.get('delete_records')?.outputSchema ?? {});
        expect(check(deleted.structuredContent), draft).toBe(true);
      }
      seen.add('delete_records');
      expect([...seen].sort()).toEqual(tools.map((t) => t.name).sort());
    });
  });
}
