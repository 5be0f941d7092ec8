import { DOC, at, dataNodes, type Rule, type RuleInput } from './rule.js';
import { hasReplicas } from './topology.js';
import type { ServerUnit } from '../model.js';

/** Memory rules (MEM0xx). */

function storeNamespaces(input: RuleInput, s: ServerUnit) {
  if (s.profile === 'cache') return [];
  return input.ctx.namespaces.filter((n) => n.kind === 'store' || n.kind === 'lock');
}

export const memRules: Rule[] = [
  {
    id: 'MEM001', severity: 'error', title: 'No maxmemory limit',
    why: 'Without a limit Redis can gradually eat all free memory and be killed by the OOM killer.',
    fix: 'maxmemory <about 70-75% of the RAM reserved for this instance>, e.g. maxmemory 2gb',
    docs: DOC.admin,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.int('maxmemory', 0) === 0) report(at(s, 'maxmemory'), s.eff.has('maxmemory') ? 'maxmemory 0 (no limit)' : 'maxmemory is not set (no limit)');
    },
  },
  {
    id: 'MEM002', severity: 'error', title: 'Store data on an evicting instance',
    why: 'Any key can be evicted silently, including the order book or a lock.',
    fix: 'maxmemory-policy noeviction on store instances (writes then fail loudly with OOM).',
    docs: DOC.eviction,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const p = s.eff.value('maxmemory-policy') ?? 'noeviction';
        if (p === 'noeviction') continue;
        const ns = storeNamespaces(input, s).filter((n) => p.startsWith('allkeys') || n.ttl !== undefined);
        if (p.startsWith('allkeys') && s.profile === 'store') report(at(s, 'maxmemory-policy'), `maxmemory-policy ${p} on a store instance`);
        else if (ns.length && s.profile !== 'cache' && !(p.startsWith('volatile') && ns.every((n) => n.kind === 'lock'))) report(at(s, 'maxmemory-policy'), `maxmemory-policy ${p} can evict store namespaces ${ns.slice(0, 4).map((n) => n.pattern).join(', ')}${ns.length > 4 ? ', ...' : ''}`);
      }
    },
  },
  {
    id: 'MEM003', severity: 'warn', title: 'volatile-* eviction can drop locks and leases',
    why: 'volatile-* evicts only keys with an expiry, which are exactly the locks (SET NX PX) and leases.',
    fix: 'noeviction, or keep locks on an instance where every TTL key is expendable.',
    docs: DOC.eviction,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const p = s.eff.value('maxmemory-policy') ?? 'noeviction';
        if (p.startsWith('volatile') && s.profile !== 'cache') report(at(s, 'maxmemory-policy'), `maxmemory-policy ${p} evicts keys with a TTL, such as locks`);
      }
    },
  },
  {
    id: 'MEM004', severity: 'warn', title: 'maxmemory too close to host RAM',
    why: 'Fork copy-on-write during BGSAVE/AOF rewrite, fragmentation and replica buffers need headroom.',
    fix: 'Keep maxmemory under ~75% of RAM with persistence, ~90% without.',
    docs: DOC.admin,
    check(input, report) {
      const ram = input.ctx.hostMemoryBytes;
      if (!ram) return;
      for (const s of dataNodes(input)) {
        const mm = s.eff.int('maxmemory', 0);
        const persistent = s.eff.saveEnabled() || s.eff.bool('appendonly', false);
        const limit = persistent ? 0.75 : 0.9;
        if (mm > ram * limit) report(at(s, 'maxmemory'), `maxmemory is ${Math.round((mm / ram) * 100)}% of host RAM (limit ${limit * 100}%${persistent ? ' with persistence' : ''})`);
      }
    },
  },
  {
    id: 'MEM005', severity: 'warn', title: 'Evicting master with replicas and little headroom',
    why: 'Replica output buffers are not counted against maxmemory; with eviction and replicas a lower limit is needed.',
    fix: 'Lower maxmemory (below ~60% of RAM) or use noeviction.',
    docs: DOC.admin,
    check(input, report) {
      const ram = input.ctx.hostMemoryBytes;
      if (!ram) return;
      for (const s of dataNodes(input)) {
        const p = s.eff.value('maxmemory-policy') ?? 'noeviction';
        if (p !== 'noeviction' && hasReplicas(input, s) && s.eff.int('maxmemory', 0) > ram * 0.6) report(at(s, 'maxmemory'), `maxmemory-policy ${p} with replicas and maxmemory above 60% of RAM`);
      }
    },
  },
];
