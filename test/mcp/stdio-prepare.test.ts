// The stdio server gets ready for its first tool call while the client's model chooses one: once
// the first tools/list answer is out, onListed runs (the CLI loads the HTTP client there).
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { emulatorServices } from '../helpers/mcp.js';
import { type Frame, startStdio } from '../helpers/stdio.js';
import { sleep } from '../helpers/wait.js';

const answered = (frames: Frame[], id: string) =>
  frames.some((f) => f.id === id && ('result' in f || 'error' in f));

describe('stdio onListed', () => {
  it('runs once, after the first tools/list answer was written', async () => {
    const seen: boolean[] = [];
    const h = await startStdio({ onListed: () => seen.push(answered(h.frames, 'list-1')) });
    try {
      await h.request('call', 'tools/call', { name: 'list_models', arguments: { query: 'partner' } });
      await sleep(20);
      expect(seen).toEqual([]);
      await h.request('list-1', 'tools/list', {});
      await h.until(() => seen.length > 0, 2000);
      await h.request('list-2', 'tools/list', {});
      await sleep(20);
      expect(seen).toEqual([true]);
    } finally {
      await h.close();
    }
  });

  it('waits for the next tools/list when the first one was cancelled', async () => {
    let calls = 0;
    const h = await startStdio({
      onListed: () => {
        calls++;
      },
    });
    try {
      h.write(
        `${JSON.stringify({ jsonrpc: '2.0', id: 'list-1', method: 'tools/list', params: {} })}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'list-1' } })}\n`,
      );
      await sleep(50);
      expect(calls).toBe(0);
      await h.request('list-2', 'tools/list', {});
      await h.until(() => calls > 0, 2000);
      expect(calls).toBe(1);
    } finally {
      await h.close();
    }
  });
});

describe('OdooClient.prepare', () => {
  it('sends nothing to Odoo, and the first call then works', async () => {
    const emulator = await startEmulator({ odooVersion: '19.0' });
    const { odoo } = emulatorServices(emulator);
    try {
      odoo.prepare();
      await sleep(50);
      expect(emulator.log.total).toBe(0);
      await expect(odoo.searchCount('res.partner', [])).resolves.toBeGreaterThan(0);
    } finally {
      await odoo.close();
      await emulator.close();
    }
  });
});
