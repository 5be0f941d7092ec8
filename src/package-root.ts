import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root: where package.json, templates/ and schema/ ship. Found by walking
 * up from this module rather than by a fixed `../..`, because the same code runs from src/ (tests),
 * dist/ (tsc's output) and dist/bundle/ (the bundle the binary runs), each at another depth.
 */
export const PACKAGE_ROOT: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return dir;
    if (path.dirname(dir) === dir) return from;
  }
}
