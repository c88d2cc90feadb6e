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

  it('every tool has a title, a description for the model, annotations and described parameters', async () => {
    const { tools } = await describeSurface();
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.description?.length ?? 0, t.name).toBeGreaterThan(80);
      const a = t.annotations as Record<string, unknown>;
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
        expect(typeof a[hint], `${t.name}.${hint}`).toBe('boolean');
      }
      const props = (t.inputSchema as { properties: Record<string, { description?: string }> }).properties;
      for (const [name, p] of Object.entries(props)) expect(p.description, `${t.name}.${name}`).toBeTruthy();
    }
  });
});
