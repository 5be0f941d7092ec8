import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildJsonSchema } from './json-schema.js';

// Run at build time (npm run build): writes schema/gridctl.schema.json for editors
// (gridctl.yaml carries `# yaml-language-server: $schema=...`).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const out = path.join(root, 'schema', 'gridctl.schema.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(buildJsonSchema(), null, 2) + '\n');
