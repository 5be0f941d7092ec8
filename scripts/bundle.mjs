// Bundles tsc's output (dist/) and the runtime dependencies into dist/bundle/, which bin/gridctl.js
// runs: one file per chunk loads much faster than ~600 separate module files (docs/DEVELOPING.md,
// Measurements). Lazy imports stay lazy: each becomes its own chunk (splitting), so
// `gridctl --help` still loads neither ioredis nor zod.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');

/**
 * zod's `z` re-exports all of its 64 message locales (`z.locales`), which is half of the zod chunk
 * every command that parses options compiles (~360 KB). gridctl words its own messages and only
 * zod's English default is ever configured, so the bundle's `z.locales` holds just `en`.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: 'zod/locales/en-only', namespace: 'zod-locales', pluginData: path.join(path.dirname(args.importer), '../locales') };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: "export { default as en } from './en.js';", resolveDir: args.pluginData, loader: 'js' }));
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  // The diff worker is its own entry: a worker thread starts from a file (scan-sides.ts finds it).
  entryPoints: [
    { in: path.join(root, 'dist', 'main.js'), out: 'main' },
    { in: path.join(root, 'dist', 'core', 'offline', 'diff', 'diff-worker.js'), out: 'diff-worker' },
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The CommonJS dependencies (ioredis, cli-table3, ...) call require() for Node's built-ins and
  // their JSON files; an ES module has no require of its own.
  banner: { js: "import { createRequire as gridctlCreateRequire } from 'node:module'; const require = gridctlCreateRequire(import.meta.url);" },
  // Chunk names say what they hold when a stack trace or a load trace shows them.
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});
