// Resources, resource templates, completions and prompts through a real MCP client, both eras.
import { ProtocolError, ResourceNotFoundError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERAS, type Harness, startHarness } from '../helpers/mcp.js';

const VERSIONS = ['15.0', '16.0', '17.0', '18.0', '19.0'] as const;

function promptText(p: { messages: Array<{ content: unknown }> }): string {
  return (p.messages[0]?.content as { text?: string } | undefined)?.text ?? '';
}

function json(result: { contents: unknown[] }): Record<string, unknown> {
  const first = result.contents[0] as { text?: string } | undefined;
  return JSON.parse(first?.text ?? 'null') as Record<string, unknown>;
}

for (const version of VERSIONS) {
  for (const era of ERAS) {
    describe(`resources and prompts on Odoo ${version}, ${era} era`, () => {
      let h: Harness;
      let decoId: number;
      beforeAll(async () => {
        h = await startHarness({ version, era });
        [decoId] = (await h.odoo.search('res.partner', { domain: [['name', '=', 'Deco Addict']] })) as [
          number,
        ];
      });
      afterAll(async () => {
        await h.close();
      });

      it('lists the templates and the announced resources', async () => {
        const { resourceTemplates } = await h.client.listResourceTemplates();
        expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(
          [
            'odoo://{model}/{id}',
            'odoo://{model}/list{?domain,fields,limit,offset,order}',
            'odoo://{model}/binary/{field}/{id}',
            'odoo://{model}/fields',
          ].sort(),
        );
        const { resources } = await h.client.listResources();
        const uris = resources.map((r) => r.uri);
        expect(uris).toContain('odoo://instance/info');
        expect(uris).toContain('odoo://res.partner/list');
      });

      it('reads one record', async () => {
        const r = await h.client.readResource({ uri: `odoo://res.partner/${decoId}` });
        expect(r.contents[0]?.mimeType).toBe('application/json');
        expect(json(r)).toMatchObject({ id: decoId, name: 'Deco Addict' });
      });

      it('reads a list with query parameters', async () => {
        const domain = encodeURIComponent(JSON.stringify([['is_company', '=', true]]));
        const r = await h.client.readResource({
          uri: `odoo://res.partner/list?domain=${domain}&fields=name,email&limit=2`,
        });
        const body = json(r);
        expect(body.model).toBe('res.partner');
        expect(body.records).toHaveLength(2);
        expect(Object.keys((body.records as Array<Record<string, unknown>>)[0] ?? {}).sort()).toEqual([
          'email',
          'id',
          'name',
        ]);
        expect(body.total).toBe(await h.odoo.searchCount('res.partner', [['is_company', '=', true]]));
      });

      it('reads a model schema and the instance info', async () => {
        const fields = json(await h.client.readResource({ uri: 'odoo://sale.order/fields' }));
        expect((fields.fields as Record<string, { type: string }>).partner_id?.type).toBe('many2one');
        const info = json(await h.client.readResource({ uri: 'odoo://instance/info' }));
        expect(String(info.odoo_version).startsWith(version)).toBe(true);
        expect(info).toMatchObject({
          protocol: version === '19.0' ? 'json2' : 'jsonrpc',
          user: { id: 2, login: 'admin' },
        });
        expect(info.record_url_template).toContain('{model}');
      });

      it('reads a binary field as a blob with its MIME type', async () => {
        const png =
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
        const id = await h.odoo.create('res.partner', { name: 'Logo holder', image_1920: png });
        const r = await h.client.readResource({ uri: `odoo://res.partner/binary/image_1920/${id}` });
        const c = r.contents[0] as { mimeType?: string; blob?: string };
        expect(c.mimeType).toBe('image/png');
        expect(c.blob).toBe(png);
      });

      it('an unknown model or id is an MCP error, not an empty success', async () => {
        const model = await h.client.readResource({ uri: 'odoo://res.partnr/1' }).catch((e: unknown) => e);
        expect(model).toBeInstanceOf(ResourceNotFoundError);
        expect((model as Error).message).toContain('"res.partner"');
        const id = await h.client.readResource({ uri: 'odoo://res.partner/999999' }).catch((e: unknown) => e);
        expect(id).toBeInstanceOf(ResourceNotFoundError);
        const notId = await h.client.readResource({ uri: 'odoo://res.partner/abc' }).catch((e: unknown) => e);
        expect(notId).toBeInstanceOf(ResourceNotFoundError);
        const denied = await h.client
          .readResource({ uri: 'odoo://ir.config_parameter/1' })
          .catch((e: unknown) => e);
        expect(denied).toBeInstanceOf(ProtocolError);
        expect((denied as Error).message).toContain('not available through this server');
      });

      it('completes {model} from ir.model (at most 100, denied models left out) and {field} from the model', async () => {
        const models = await h.client.complete({
          ref: { type: 'ref/resource', uri: 'odoo://{model}/{id}' },
          argument: { name: 'model', value: 'res.' },
        });
        expect(models.completion.values).toContain('res.partner');
        expect(models.completion.values).not.toContain('res.users.apikeys');
        expect(models.completion.values.length).toBeLessThanOrEqual(100);
        const fields = await h.client.complete({
          ref: { type: 'ref/resource', uri: 'odoo://{model}/list{?domain,fields,limit,offset,order}' },
          argument: { name: 'fields', value: 'email' },
          context: { arguments: { model: 'res.partner' } },
        });
        expect(fields.completion.values).toContain('email');
      });

      it('serves prompts whose arguments complete from Odoo', async () => {
        const { prompts } = await h.client.listPrompts();
        expect(prompts.map((p) => p.name).sort()).toEqual(
          ['customer_summary', 'explore_model', 'pipeline_review', 'sales_report'].sort(),
        );
        const customers = await h.client.complete({
          ref: { type: 'ref/prompt', name: 'customer_summary' },
          argument: { name: 'customer', value: 'Deco' },
        });
        expect(customers.completion.values).toContain('Deco Addict');
        const prompt = await h.client.getPrompt({
          name: 'customer_summary',
          arguments: { customer: 'Deco Addict' },
        });
        const text = promptText(prompt);
        expect(text).toContain('Deco Addict');
        expect(text).toContain('search_records');
        const report = await h.client.getPrompt({
          name: 'sales_report',
          arguments: { date_from: '2026-01-01', date_to: '2026-12-31', group_by: 'month' },
        });
        expect(promptText(report)).toContain('date_order:month');
      });
    });
  }
}
