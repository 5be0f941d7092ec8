import { passwordRules, readAclUser } from './acl-user.js';
import { persistAcl } from './persist.js';
import type { NodeRotation } from './rotation-report.js';
import type { RotationState } from './rotation-state.js';
import { accepts, type NodeView } from './rotate.js';

/** What one phase does to a node's password hashes: add these, drop those. */
export interface HashChange {
  add: string[];
  drop: string[];
  change: 'add-new' | 'remove-old' | 'restore-old';
}

/** What each node would get (a dry run), without touching it. */
export function planHashChange(views: readonly NodeView[], hashes: Pick<RotationState, 'newHash' | 'oldHashes'>, plan: HashChange): NodeRotation[] {
  return views.map(({ node, acl }) => {
    const base = { address: node.address, role: node.role };
    if (!acl.exists) return { ...base, acceptsOld: false, acceptsNew: false, change: 'absent' };
    const rules = passwordRules(acl.hashes, plan.add, plan.drop);
    return { ...base, ...accepts(acl.hashes, hashes), change: rules.length ? plan.change : 'none', planned: true };
  });
}

/**
 * Apply a phase to every node at once: ACL SETUSER with only password rules (so nothing else of
 * the user changes), persist, then read the user back, so the report says what each node
 * accepts now, not what was sent. A node that fails keeps what it had (one SETUSER is atomic).
 */
export async function applyHashChange(views: readonly NodeView[], user: string, hashes: Pick<RotationState, 'newHash' | 'oldHashes'>, plan: HashChange): Promise<NodeRotation[]> {
  return Promise.all(
    views.map(async ({ node, acl }): Promise<NodeRotation> => {
      const base = { address: node.address, role: node.role };
      if (!acl.exists) return { ...base, acceptsOld: false, acceptsNew: false, change: 'absent' };
      const rules = passwordRules(acl.hashes, plan.add, plan.drop);
      let now = acl.hashes;
      try {
        if (rules.length) await node.client.call('ACL', 'SETUSER', user, ...rules);
        // Persisted even when nothing changed: an earlier run may have set it and failed to save.
        const persisted = await persistAcl(node.client, node.role === 'sentinel');
        now = (await readAclUser(node.client, user)).hashes;
        const result = { ...base, ...accepts(now, hashes), change: rules.length ? plan.change : ('none' as const), persisted };
        const wanted = plan.add.every((h) => now.includes(h)) && plan.drop.every((h) => !now.includes(h) || plan.add.includes(h));
        return wanted ? result : { ...result, change: 'failed', error: 'the node did not keep the change' };
      } catch (err) {
        const after = await readAclUser(node.client, user).then((u) => u.hashes, () => now);
        return { ...base, ...accepts(after, hashes), change: 'failed', error: (err as Error).message };
      }
    }),
  );
}
