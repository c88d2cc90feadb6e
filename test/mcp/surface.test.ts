// The tool surface is part of the product's contract: a change to a name, a description, a schema
// or an annotation must show up in review as a change to this snapshot.
import { describe, expect, it } from 'vitest';
import { describeSurface } from '../../src/mcp/surface.js';

describe('MCP surface', () => {
  it('matches the committed snapshot', async () => {
    const surface = await describeSurface();
    await expect(`${JSON.stringify(surface, null, 2)}\n`).toMatchFileSnapshot(
      '../snapshots/mcp-surface.json',
    );
  });

  it('the output schemas, as listed with tools.output_schemas on, match the committed snapshot', async () => {
    const { tools } = await describeSurface('0.0.0', { outputSchemas: true });
    const schemas = Object.fromEntries(tools.map((t) => [t.name, t.outputSchema]));
    for (const [name, schema] of Object.entries(schemas)) expect(schema, name).toBeDefined();
    await expect(`${JSON.stringify(schemas, null, 2)}\n`).toMatchFileSnapshot(
      '../snapshots/mcp-output-schemas.json',
    );
  });

  // Every conversation that lists the tools pays for these bytes (issue 11's budget).
  it('tools/list fits 8,000 bytes by default, and 9,500 with output schemas', async () => {
    const plain = JSON.stringify({ tools: (await describeSurface()).tools });
    expect(plain.length).toBeLessThanOrEqual(8000);
    const typed = JSON.stringify({ tools: (await describeSurface('0.0.0', { outputSchemas: true })).tools });
    expect(typed.length).toBeLessThanOrEqual(9500);
  });

  it('every tool has a title, a description for the model, annotations and described parameters', async () => {
    const { tools } = await describeSurface();
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.description?.length ?? 0, t.name).toBeGreaterThan(80);
      // Hints are listed only where they differ from the spec's defaults.
      const a = (t.annotations ?? {}) as Record<string, unknown>;
      for (const [hint, value] of Object.entries(a)) {
        expect(['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'], t.name).toContain(
          hint,
        );
        expect(typeof value, `${t.name}.${hint}`).toBe('boolean');
      }
      const props = (t.inputSchema as { properties: Record<string, { description?: string }> }).properties;
      for (const [name, p] of Object.entries(props)) expect(p.description, `${t.name}.${name}`).toBeTruthy();
    }
  });
});
