import { DOC, at, dataNodes, type Rule } from './rule.js';
import { inReplicationGroup, hasReplicas } from './topology.js';

/** Replication rules (REP0xx). */
export const repRules: Rule[] = [
  {
    id: 'REP001', severity: 'error', title: 'Node in an authenticated replication group without masterauth',
    why: 'After a failover the old master becomes a replica and must authenticate; set masterauth (and masteruser) on every node, masters included.',
    fix: 'masteruser <replication user> and masterauth <its password> on every data node.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const d = s.users.defaultUser;
        const requiresAuth = !(d.enabled && d.nopass);
        if (requiresAuth && inReplicationGroup(input, s) && !s.eff.value('masterauth', false)) report(at(s, s.eff.has('replicaof') ? 'replicaof' : 'masteruser'), 'this node requires authentication and replicates (or may, after a failover) but has no masterauth');
      }
    },
  },
  {
    id: 'REP002', severity: 'warn', title: 'masterauth without masteruser while default is off',
    why: 'Without masteruser the replica sends AUTH <pass> as default, which is off, and replication fails.',
    fix: 'masteruser <replication user>',
    docs: DOC.replication,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.value('masterauth', false) && !s.eff.value('masteruser', false) && !s.users.defaultUser.enabled) report(at(s, 'masterauth'), 'masterauth without masteruser while the default user is off');
    },
  },
  {
    id: 'REP003', severity: 'warn', title: 'Store master accepts writes with no replica',
    why: 'min-replicas-to-write bounds the writes lost to a partitioned old master; the docs suggest 1 / 10.',
    fix: 'min-replicas-to-write 1 and min-replicas-max-lag 10',
    docs: DOC.replication,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.profile === 'store' && hasReplicas(input, s) && s.eff.int('min-replicas-to-write', 0) === 0) report(at(s, 'min-replicas-to-write'), 'store master with replicas and min-replicas-to-write 0');
    },
  },
  {
    id: 'REP005', severity: 'warn', title: 'Writable replicas',
    why: 'Data written on a replica is deleted at the next resync.',
    fix: 'replica-read-only yes',
    docs: DOC.replication,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.value('replica-read-only') === 'no') report(at(s, 'replica-read-only'), 'replica-read-only no');
    },
  },
  {
    id: 'REP006', severity: 'error', title: 'replicaof in cluster mode',
    why: 'Fatal: "replicaof directive not allowed in cluster mode".',
    fix: 'Remove replicaof; cluster replicas are assigned with CLUSTER REPLICATE / redis-cli --cluster.',
    docs: DOC.scaling,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.has('replicaof') && s.eff.bool('cluster-enabled', false)) report(at(s, 'replicaof'), 'replicaof together with cluster-enabled yes: "replicaof directive not allowed in cluster mode"');
    },
  },
];
