import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { writeFileAtomic, SECRET_FILE_MODE } from '../fs/atomic-write.js';
import type { Topology } from '../redis/spec.js';

/** What `gridctl up` started, written to <run dir>/state.json; `down` and live commands read it. */
export interface LocalNode {
  name: string;
  role: 'master' | 'replica' | 'sentinel';
  host: string;
  port: number;
  /** Cluster bus port (cluster topology only). */
  busPort?: number;
  pid: number;
  configFile: string;
  logFile: string;
  dataDir: string;
}

export interface LocalState {
  version: 1;
  topology: Topology;
  dir: string;
  createdAt: string;
  tls: boolean;
  acl: boolean;
  masterName?: string;
  /** Display URL (never with a password). */
  url: string;
  username?: string;
  /** 0600 file holding the admin password when --acl. */
  passwordFile?: string;
  tlsFiles?: { ca: string; cert: string; key: string };
  nodes: LocalNode[];
}

export const DEFAULT_RUN_DIR = '.gridctl/local';
export const STATE_FILE = 'state.json';

export async function readLocalState(dir: string): Promise<LocalState | undefined> {
  try {
    const text = await readFile(path.join(dir, STATE_FILE), 'utf8');
    return JSON.parse(text) as LocalState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GridctlError('CONFIG_INVALID', `cannot read ${path.join(dir, STATE_FILE)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Record what runs (after `up` started it, or a drill restarted a node with a new pid). */
export async function writeLocalState(state: LocalState): Promise<void> {
  await writeFileAtomic(path.join(state.dir, STATE_FILE), JSON.stringify(state, null, 2) + '\n', { mode: SECRET_FILE_MODE });
}
