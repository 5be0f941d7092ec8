import { readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import { GridctlError } from '../errors.js';
import { writeFileAtomic, SECRET_FILE_MODE } from '../fs/atomic-write.js';
import type { KnownNode } from './every-node.js';

/**
 * Where a rotation stands, kept in a 0600 JSON file so a rerun (or a second operator) continues
 * it. Only password hashes are kept: ACL SETUSER takes `#<hash>` and `!<hash>`, so no phase needs
 * the old password in clear, and the new one stays in its secret file.
 */
export interface RotationState {
  version: 1;
  user: string;
  /** adding: phase 1 under way (some nodes may lack the new password) · added: every node accepts both · finishing · finished: only the new one. */
  phase: 'adding' | 'added' | 'finishing' | 'finished';
  newHash: string;
  /** The hashes the user had before phase 1, on every node (the "old password"). */
  oldHashes: string[];
  /** The new password's file until phase 1 completes (then it is renamed onto secretFile). */
  pendingFile: string;
  secretFile?: string;
  startedAt: string;
  /** When the last node accepted the new password: connections older than this may use the old one. */
  addedAt?: string;
  finishedAt?: string;
  /** Every node phase 1 saw: a node missing later is unreachable, not forgotten. */
  nodes: KnownNode[];
  updatedAt: string;
  updatedBy: string;
}

export async function readRotationState(file: string): Promise<RotationState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GridctlError('CONFIG_INVALID', `cannot read rotation state ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const state = JSON.parse(text) as RotationState;
    if (state.version !== 1 || typeof state.newHash !== 'string' || !Array.isArray(state.oldHashes) || !Array.isArray(state.nodes)) throw new Error('not a rotation state');
    return state;
  } catch (err) {
    throw new GridctlError('CONFIG_INVALID', `rotation state ${file} is damaged: ${(err as Error).message}`, {
      hint: 'restore it from the other operator, or remove it after checking every node with `gridctl acl rotate USER --dry-run`',
    });
  }
}

export async function writeRotationState(file: string, state: RotationState): Promise<void> {
  const stamped: RotationState = { ...state, updatedAt: new Date().toISOString(), updatedBy: `${os.userInfo().username}@${os.hostname()}` };
  await writeFileAtomic(file, JSON.stringify(stamped, null, 2) + '\n', { mode: SECRET_FILE_MODE });
}

export async function removeFileIfPresent(file: string): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
