// `npm run bench`: every benchmark in one run, each printing gridctl next to the standard tool
// doing the same job, as ratios. Pass a name to run one: `npm run bench -- memory --keys 100000`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['startup', 'check', 'orderbook', 'memory', 'backup', 'offline', 'realtime'];
const argv = process.argv.slice(2);
const only = ALL.filter((n) => argv.includes(n));
const names = only.length ? only : ALL;
const rest = argv.filter((a) => !ALL.includes(a));

let failed = 0;
for (const name of names) {
  const file = path.join(here, `${name}.mjs`);
  if (!existsSync(file)) {
    console.log(`\n== ${name}: no benchmark file (bench/${name}.mjs)`);
    continue;
  }
  console.log(`\n== ${name}`);
  try {
    const mod = await import(file);
    await mod.run(rest);
  } catch (err) {
    failed++;
    console.error(`${name} benchmark failed: ${err?.stack ?? err}`);
  }
}
process.exit(failed ? 1 : 0);
