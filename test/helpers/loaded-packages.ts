import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { BIN } from './cli.js';

const LOADER = fileURLToPath(new URL('../fixtures/loader/register.mjs', import.meta.url));

/**
 * Run the built binary with a resolve hook that reports every module it loads, and name the npm
 * packages behind them. The binary runs a bundle, so most modules are chunks of dist/bundle: a
 * chunk names the packages it was built from in esbuild's `// node_modules/<package>/...` comments.
 * A module loaded from node_modules directly names its own package.
 */
export async function packagesLoadedBy(args: string[], opts: { cwd?: string } = {}): Promise<{ exitCode: number; modules: number; packages: Set<string> }> {
  const r = await execa(process.execPath, ['--import', LOADER, BIN, ...args], { reject: false, cwd: opts.cwd, env: { ...process.env, FORCE_COLOR: '0' } });
  const urls = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
  const packages = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url);
    const direct = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (direct) {
      packages.add(direct[1]!);
      continue;
    }
    for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)) packages.add(m[1]!);
  }
  return { exitCode: r.exitCode ?? -1, modules: urls.length, packages };
}
