import { access } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIG_PATH } from './defaults.js';
import type { LoadedConfig } from './load.js';

/**
 * gridctl.yaml as a command finds it: the file asked for (--config, GRIDCTL_CONFIG), else
 * ./gridctl.yaml when there is one. With neither there is nothing to parse, so the YAML parser and
 * the schema are not even loaded (most `check` and `--help` runs).
 */
export async function findConfig(cwd: string, explicit: string | undefined): Promise<LoadedConfig> {
  const defaultConfig = path.resolve(cwd, DEFAULT_CONFIG_PATH);
  if (explicit === undefined && !(await access(defaultConfig).then(() => true, () => false))) return { path: undefined, config: {} };
  const { loadConfig } = await import('./load.js');
  // Messages name the file as the operator typed it.
  return loadConfig(explicit === undefined ? defaultConfig : path.resolve(cwd, explicit), { required: explicit !== undefined, label: explicit ?? DEFAULT_CONFIG_PATH });
}
