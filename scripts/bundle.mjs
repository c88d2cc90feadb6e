// Bundles the CLI into dist/cli.js (the package's bin) plus dist/chunks/ for what loads on demand
// (the HTTP front, the emulator, undici, the XML-RPC decoder, doctor, `read`). One file parses and
// loads faster than ~300 modules: measured in bench/figures.ts (cold start, spawn to tools/list).
// Run after tsc (npm run build), which type-checks and writes the module tree the bundle replaces
// as the entry point.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

// Two imports that only dead code needs, dropped from the start-up path:
// - zod's namespace re-exports every locale (~360 KB); the server only ever uses English, which
//   zod registers by itself, so `z.locales` keeps just `en`.
// - the SDK's default JSON Schema validator (ajv, ~290 KB) is only used to check elicitation
//   answers; it is loaded from the SDK's own CommonJS build the first time it is asked for.
const trim = {
  name: 'trim-start-up',
  setup(b) {
    b.onResolve({ filter: /^(\.\.\/)+locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer)
        ? { path: 'zod-locales', namespace: 'trim' }
        : undefined,
    );
    b.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({
      path: 'sdk-shims',
      namespace: 'trim',
    }));
    b.onLoad({ filter: /^zod-locales$/, namespace: 'trim' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(require.resolve('zod/v4/locales/en.js'))};`,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
    b.onLoad({ filter: /^sdk-shims$/, namespace: 'trim' }, () => ({
      contents: `import process from 'node:process';
import { createRequire } from 'node:module';
export class DefaultJsonSchemaValidator {
  getValidator(schema) {
    this.real ??= new (createRequire(import.meta.url)('@modelcontextprotocol/server/_shims').DefaultJsonSchemaValidator)();
    return this.real.getValidator(schema);
  }
}
export { process };`,
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

// The tools' listed JSON Schemas, from tsc's output of the same sources: converting zod schemas
// is a tenth of the start-up. test/e2e/stdio.test.ts checks the bundle lists what the sources do.
const { TOOLS } = await import('../dist/mcp/tools/index.js');
const { listedSchema, toPortableJsonSchema } = await import('../dist/mcp/json-schema.js');
const listed = Object.fromEntries(
  TOOLS.map((t) => [
    t.name,
    {
      input: listedSchema(toPortableJsonSchema(t.input, 'input'), 'input'),
      output: listedSchema(toPortableJsonSchema(t.output, 'output'), 'output'),
    },
  ]),
);

rmSync('dist/chunks', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'bundle',
  plugins: [trim],
  logLevel: 'warning',
  legalComments: 'none',
  define: { __ODOO_MCP_LISTED_SCHEMAS__: JSON.stringify(listed) },
  // CommonJS dependencies (pino, saxes) call require(); ESM output has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
});
