import path from 'node:path';
import { DOC, at, dataNodes, type Rule, type RuleInput } from './rule.js';
import { loadCerts, resolveServerPath, sanEntries } from '../certs.js';

/** Cluster rules (CLU0xx). */

const clusterNodes = (input: RuleInput) => dataNodes(input).filter((s) => s.eff.bool('cluster-enabled', false));
/** The cluster size is known from gridctl.yaml, or when several cluster node files are checked together. */
function inventory(input: RuleInput): { nodes: number; masters: number; replicas: number } | undefined {
  const files = clusterNodes(input).length;
  const t = input.ctx.topology;
  if (t?.kind === 'cluster' && t.masters !== undefined) return { nodes: t.masters * (1 + (t.replicas ?? 0)), masters: t.masters, replicas: t.replicas ?? 0 };
  if (t?.kind === 'cluster' || files >= 2) { const masters = Math.min(files, Math.max(3, Math.ceil(files / 2))); return { nodes: files, masters, replicas: files >= masters * 2 ? 1 : 0 }; }
  return undefined;
}

export const cluRules: Rule[] = [
  {
    id: 'CLU001', severity: 'error', title: 'Fewer than 3 cluster masters',
    why: '"The minimal cluster that works as expected must contain at least three master nodes."',
    fix: 'Run at least 3 masters (6 nodes with one replica each).',
    docs: DOC.scaling,
    check(input, report) {
      const inv = inventory(input);
      const first = clusterNodes(input)[0];
      if (inv && inv.nodes < 3 && first) report(at(first, 'cluster-enabled'), `only ${inv.nodes} cluster node(s): a cluster needs at least 3 masters`);
    },
  },
  {
    id: 'CLU002', severity: 'warn', title: 'Cluster master without a replica',
    why: 'Losing a master with no replica makes its slots unavailable.',
    fix: 'Give every master a replica (--cluster-replicas 1).',
    docs: DOC.scaling,
    check(input, report) {
      const inv = inventory(input);
      const first = clusterNodes(input)[0];
      if (inv && inv.nodes >= 3 && inv.nodes < inv.masters * 2 && first) report(at(first, 'cluster-enabled'), `${inv.nodes} cluster nodes for ${inv.masters} masters: some masters have no replica`);
    },
  },
  {
    id: 'CLU003', severity: 'error', title: 'Shared cluster-config-file',
    why: '"Every Redis Cluster node requires a different cluster configuration file"; it is written by Redis.',
    fix: 'Give every node its own cluster-config-file (nodes-<port>.conf) or its own dir.',
    docs: DOC.scaling,
    check(input, report) {
      const seen = new Map<string, string>();
      for (const s of clusterNodes(input)) {
        const f = resolveServerPath(s, s.eff.value('cluster-config-file', false) ?? 'nodes.conf');
        const host = s.eff.bindAddresses().addresses.find((a) => !a.startsWith('-')) ?? '*';
        const id = `${host}|${path.normalize(f)}`;
        const prev = seen.get(id);
        if (prev) report(at(s, 'cluster-config-file'), `cluster-config-file ${f} is also used by ${prev}`);
        else seen.set(id, s.conf.file);
      }
    },
  },
  {
    id: 'CLU004', severity: 'error', title: 'Cluster bus port out of range',
    why: 'With cluster-port 0 the bus port is the client port + 10000, which must stay ≤ 65535 (fatal otherwise).',
    fix: 'Set cluster-port explicitly or use a client port ≤ 55535.',
    docs: DOC.scaling,
    check(input, report) {
      for (const s of clusterNodes(input)) {
        const client = s.eff.bool('tls-cluster', false) ? s.eff.tlsPort() : s.eff.port();
        if (s.eff.int('cluster-port', 0) === 0 && client > 55535) report(at(s, 'port'), `client port ${client} + 10000 exceeds 65535 for the cluster bus`);
      }
    },
  },
  {
    id: 'CLU005', severity: 'warn', title: 'cluster-node-timeout out of range',
    why: 'Most internal limits are multiples of it: too low flaps, too high delays failover.',
    fix: 'cluster-node-timeout between 5000 and 30000 (default 15000).',
    docs: DOC.scaling,
    check(input, report) {
      for (const s of clusterNodes(input)) { const v = s.eff.int('cluster-node-timeout', 15000); if (v < 5000 || v > 30000) report(at(s, 'cluster-node-timeout'), `cluster-node-timeout ${v}`); }
    },
  },
  {
    id: 'CLU007', severity: 'warn', title: 'Reads allowed while the cluster is down (store)',
    why: 'Stale reads while the cluster is down are wrong for store data.',
    fix: 'cluster-allow-reads-when-down no',
    docs: DOC.scaling,
    check(input, report) {
      for (const s of clusterNodes(input)) if (s.profile === 'store' && s.eff.value('cluster-allow-reads-when-down') === 'yes') report(at(s, 'cluster-allow-reads-when-down'), 'cluster-allow-reads-when-down yes on a store');
    },
  },
  {
    id: 'CLU008', severity: 'warn', title: 'Cluster endpoints clients cannot verify',
    why: 'Cluster hands out IPs by default (MOVED, CLUSTER SLOTS); TLS clients verifying names fail when the certificate has no IP SANs.',
    fix: 'Add the node IPs to the SAN, or set cluster-announce-hostname and cluster-preferred-endpoint-type hostname.',
    docs: DOC.scaling,
    check(input, report) {
      for (const s of clusterNodes(input)) {
        if (!s.eff.tlsInUse() || s.eff.value('cluster-preferred-endpoint-type') === 'hostname') continue;
        const f = s.eff.value('tls-cert-file', false);
        const cert = f ? loadCerts(resolveServerPath(s, f)).value?.[0] : undefined;
        if (cert && sanEntries(cert).ips.length === 0) report(at(s, 'tls-cert-file'), 'TLS cluster announces IPs but the certificate has no IP SANs');
      }
    },
  },
  {
    id: 'CLU009', severity: 'error', title: 'TLS-only cluster node with a plaintext bus on port 10000',
    why: 'With port 0 and tls-cluster no, the bus port is computed from port 0, so every node uses bus port 10000 in plaintext (see TLS005).',
    fix: 'tls-cluster yes (and an explicit cluster-port).',
    docs: DOC.tls,
    check(input, report) {
      for (const s of clusterNodes(input)) if (s.eff.port() === 0 && s.eff.tlsPort() > 0 && !s.eff.bool('tls-cluster', false) && s.eff.int('cluster-port', 0) === 0) report(at(s, 'port'), 'port 0 with tls-cluster no and no cluster-port: the cluster bus ends up on plaintext port 10000');
    },
  },
];
