import type { Deployment } from '../redis/deployment.js';
import { classifyRedisError, errorContext } from '../redis/errors.js';
import { connectNode } from '../redis/connect.js';
import { hostOf, parseClientList, type ClientEntry } from './client-list.js';
import { GRIDCTL_CLIENT_NAME, readNodeClients } from './summary.js';
import type { KillReport, KillTarget } from './types.js';

export interface KillRequest {
  idleSeconds: number;
  user?: string;
  /** A host (every port) or host:port. */
  addr?: string;
}

/** The connections a kill would close; gridctl's own connections and replication links are never among them. */
export async function planKill(dep: Deployment, req: KillRequest): Promise<Omit<KillReport, 'dryRun' | 'killed' | 'skipped'>> {
  const { nodes, perNode } = await readNodeClients(dep);
  const targets: KillTarget[] = [];
  let protectedCount = 0;
  for (const p of perNode) {
    for (const c of p.clients) {
      if (!matches(c, req)) continue;
      if (c.name === GRIDCTL_CLIENT_NAME) protectedCount++;
      else targets.push(target(p.node.address, c));
    }
    protectedCount += p.node.replicationLinks;
  }
  return {
    idleSeconds: req.idleSeconds,
    user: req.user ?? null,
    addr: req.addr ?? null,
    targets,
    protected: protectedCount,
    coverage: await dep.coverage(nodes.filter((n) => n.role === 'master').map((n) => n.address)),
  };
}

/**
 * CLIENT KILL ID for each target, on its node, after reading it again (CLIENT LIST ID): one that
 * ran a command since the plan (idle below the threshold now) or is gone is skipped, not killed.
 */
export async function applyKill(dep: Deployment, req: KillRequest, targets: KillTarget[]): Promise<{ killed: KillTarget[]; skipped: KillTarget[] }> {
  const killed: KillTarget[] = [];
  const skipped: KillTarget[] = [];
  const byNode = new Map<string, KillTarget[]>();
  for (const t of targets) byNode.set(t.node, [...(byNode.get(t.node) ?? []), t]);
  const nodes = (await dep.discover()).filter((n) => byNode.has(n.address));
  for (const node of nodes) {
    const mine = byNode.get(node.address)!;
    let client;
    try {
      client = await connectNode(dep.spec, node);
      const now = new Map(parseClientList(String(await client.call('CLIENT', 'LIST', 'ID', ...mine.map((t) => t.id)))).map((c) => [c.id, c]));
      for (const t of mine) {
        const current = now.get(t.id);
        if (!current || !matches(current, req)) {
          skipped.push(t);
          continue;
        }
        const n = Number(await client.call('CLIENT', 'KILL', 'ID', t.id));
        (n > 0 ? killed : skipped).push(t);
      }
    } catch (err) {
      throw classifyRedisError(err, errorContext(dep.spec, node.address));
    } finally {
      client?.disconnect();
    }
  }
  return { killed, skipped };
}

function matches(c: ClientEntry, req: KillRequest): boolean {
  if (c.idle < req.idleSeconds) return false;
  if (req.user !== undefined && c.user !== req.user) return false;
  if (req.addr !== undefined && c.addr !== req.addr && hostOf(c.addr) !== req.addr.replace(/^\[|\]$/g, '')) return false;
  return true;
}

function target(node: string, c: ClientEntry): KillTarget {
  return { node, id: c.id, addr: c.addr, user: c.user, name: c.name, idleSeconds: c.idle };
}
