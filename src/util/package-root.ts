// The installed package's folder, found from the running file: the same code runs from src/ (tsx,
// vitest), from tsc's dist/ tree and from the bundled dist/cli.js, each at a different depth.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(
        `odoo-mcp-server: cannot find its package.json above ${fileURLToPath(import.meta.url)}`,
      );
    dir = parent;
  }
}

// The npm package is `odoo-mcp` (the npm name odoo-mcp-server is an unrelated project); its bin is
// still odoo-mcp-server.
function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'odoo-mcp';
  } catch {
    return false;
  }
}
