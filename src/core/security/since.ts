import { GridctlError } from '../errors.js';
import { writeFileAtomic, SECRET_FILE_MODE } from '../fs/atomic-write.js';
import { readText } from '../acl/secret-files.js';
import type { DeniedGroup } from './types.js';

/**
 * `security report --since FILE`, for cron: the ACL LOG counts the last run saw, so this run reports
 * only what is new (an alert fires once per new attempt, not on every run while the entry is kept).
 */
interface SinceState {
  version: 1;
  generatedAt: string;
  groups: Record<string, { count: number; lastSeen: string }>;
}

const keyOf = (g: DeniedGroup) => [g.node, g.reason, g.user, g.client].join('|');

export async function readSince(file: string): Promise<SinceState | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    const state = JSON.parse(text) as SinceState;
    if (state.version !== 1 || typeof state.groups !== 'object') throw new Error('not a security report state');
    return state;
  } catch (err) {
    throw new GridctlError('CONFIG_INVALID', `${file} is not a --since state: ${(err as Error).message}`, { hint: 'remove it: the next run reports everything ACL LOG holds and starts it again' });
  }
}

/**
 * What is new since `previous`: a group whose count grew reports the growth; one whose count is
 * lower but was seen later (ACL LOG RESET, or an entry dropped and logged again) reports its count.
 */
export function newSince(groups: readonly DeniedGroup[], previous: SinceState | undefined): DeniedGroup[] {
  if (!previous) return [...groups];
  const out: DeniedGroup[] = [];
  for (const g of groups) {
    const before = previous.groups[keyOf(g)];
    if (!before) out.push(g);
    else if (g.count > before.count) out.push({ ...g, count: g.count - before.count });
    else if (g.count < before.count && g.lastSeen > before.lastSeen) out.push(g);
  }
  return out;
}

export async function writeSince(file: string, groups: readonly DeniedGroup[], generatedAt: string): Promise<void> {
  const state: SinceState = { version: 1, generatedAt, groups: Object.fromEntries(groups.map((g) => [keyOf(g), { count: g.count, lastSeen: g.lastSeen }])) };
  await writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', { mode: SECRET_FILE_MODE });
}

export function previousRun(state: SinceState | undefined): string | null {
  return state?.generatedAt ?? null;
}
