import { isIP } from 'node:net';
import { loadCerts, loadKey, resolveServerPath, sanCovers } from '../certs.js';
import type { ServerUnit } from '../model.js';
import { DOC, at, dataNodes, sentinels, type Rule } from './rule.js';

/** TLS rules (TLS0xx): configuration, then the certificate files themselves. */

const hasCa = (s: ServerUnit) => Boolean(s.eff.value('tls-ca-cert-file', false) || s.eff.value('tls-ca-cert-dir', false));
const needsCa = (s: ServerUnit) => s.eff.value('tls-auth-clients') !== 'no' || s.eff.bool('tls-replication', false) || s.eff.bool('tls-cluster', false);
const MAKES_OUTGOING = (s: ServerUnit) => s.kind === 'sentinel' || s.eff.has('replicaof') || s.eff.bool('cluster-enabled', false) || s.eff.bool('tls-replication', false);

/** The server's certificate file as configured and resolved, when TLS is in use. */
/** Every certificate file a TLS server names (its own, its CA, its client certificate), loaded once. */
function* certificateFiles(s: ServerUnit) {
  for (const key of ['tls-cert-file', 'tls-ca-cert-file', 'tls-client-cert-file']) {
    const d = s.eff.get(key);
    if (d?.args[0]) yield { key, d, r: loadCerts(resolveServerPath(s, d.args[0])) };
  }
}

function serverCert(s: ServerUnit) {
  const d = s.eff.get('tls-cert-file');
  if (!s.eff.tlsInUse() || !d?.args[0]) return undefined;
  const loaded = loadCerts(resolveServerPath(s, d.args[0]));
  return { d, loaded, cert: loaded.value?.[0] };
}

export const tlsRules: Rule[] = [
  {
    id: 'TLS001', severity: 'error', title: 'TLS enabled without certificate or key',
    why: 'Startup fails: "No tls-cert-file configured!" / "No tls-key-file configured!".',
    fix: 'Set tls-cert-file and tls-key-file.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        if (!s.eff.tlsInUse()) continue;
        for (const k of ['tls-cert-file', 'tls-key-file']) if (!s.eff.value(k, false)) report(at(s, 'tls-port'), `TLS is enabled but ${k} is not set`);
      }
    },
  },
  {
    id: 'TLS002', severity: 'error', title: 'TLS without a CA',
    why: 'With client authentication, TLS replication or TLS cluster bus Redis needs a CA and "will not implicitly use the system wide configuration": startup fails.',
    fix: 'Set tls-ca-cert-file (a dedicated per-deployment CA).',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) if (s.eff.tlsInUse() && needsCa(s) && !hasCa(s)) report(at(s, 'tls-port'), 'TLS with client auth / replication / cluster but no tls-ca-cert-file or tls-ca-cert-dir');
    },
  },
  {
    id: 'TLS003', severity: 'warn', title: 'Clients are not required to present a certificate',
    why: 'The default tls-auth-clients yes is mutual TLS; no/optional relies on ACL passwords alone.',
    fix: 'tls-auth-clients yes',
    docs: DOC.tls,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const v = s.eff.value('tls-auth-clients');
        if (s.eff.tlsInUse() && (v === 'no' || v === 'optional')) report(at(s, 'tls-auth-clients'), `tls-auth-clients ${v}`);
      }
    },
  },
  {
    id: 'TLS004', severity: 'error', title: 'Replication over plaintext to a TLS-only master',
    why: 'A replica (or a node that may become one under Sentinel) connects in plaintext, or cannot connect at all, and masterauth crosses the wire in the clear.',
    fix: 'tls-replication yes on every data node.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const replicating = s.eff.has('replicaof') || input.ctx.topology?.kind === 'sentinel';
        if (replicating && s.eff.port() === 0 && s.eff.tlsPort() > 0 && !s.eff.bool('tls-replication', false)) report(at(s, s.eff.has('replicaof') ? 'replicaof' : 'tls-port'), 'TLS-only node that replicates without tls-replication yes');
      }
    },
  },
  {
    id: 'TLS005', severity: 'error', title: 'Cluster bus not encrypted',
    why: 'With cluster-enabled and TLS in use but tls-cluster no, the cluster bus stays plaintext and its messages are not authenticated.',
    fix: 'tls-cluster yes',
    docs: DOC.tls,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.bool('cluster-enabled', false) && s.eff.tlsPort() > 0 && !s.eff.bool('tls-cluster', false)) report(at(s, 'cluster-enabled'), 'cluster-enabled with TLS but tls-cluster is not yes');
    },
  },
  {
    id: 'TLS006', severity: 'error', title: 'Deprecated TLS protocol versions',
    why: 'TLSv1 and TLSv1.1 are formally deprecated; the default (unset) is TLSv1.2 + TLSv1.3.',
    fix: 'tls-protocols "TLSv1.2 TLSv1.3"',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        const d = s.eff.get('tls-protocols');
        const protos = (d?.args ?? []).join(' ').split(/\s+/);
        const old = protos.filter((p) => /^tlsv1(\.1)?$/i.test(p));
        if (d && old.length) report(d, `tls-protocols allows ${old.join(', ')}`);
      }
    },
  },
  {
    id: 'TLS007', severity: 'error', title: 'Unquoted multi-value TLS directive',
    why: 'tls-protocols (and tls-ciphers, tls-ciphersuites) are single-argument string directives, so `tls-protocols TLSv1.2 TLSv1.3` fails with "wrong number of arguments".',
    fix: 'Quote the list: tls-protocols "TLSv1.2 TLSv1.3"',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        for (const k of ['tls-protocols', 'tls-ciphers', 'tls-ciphersuites']) {
          for (const d of s.eff.directives.filter((x) => x.name === k)) {
            if (d.args.length > 1 && !d.args.some((a) => a.startsWith('#'))) report(d, `${k} has ${d.args.length} unquoted values: Redis refuses it ("wrong number of arguments"); write ${k} "${d.args.join(' ')}"`);
          }
        }
      }
    },
  },
  {
    id: 'TLS009', severity: 'warn', title: 'Key passphrase in the config',
    why: 'The passphrase is plaintext in the file and readable through CONFIG GET.',
    fix: 'Use an unencrypted key with mode 0600 owned by the redis user.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) for (const k of ['tls-key-file-pass', 'tls-client-key-file-pass']) if (s.eff.has(k)) report(at(s, k), `${k} stores the key passphrase in cleartext`);
    },
  },
  {
    id: 'TLS010', severity: 'warn', title: 'Certificate does not cover the node addresses',
    why: 'Clients verify the SAN; Redis, Cluster and Sentinel hand out IPs by default, so the IPs must be in the SAN too.',
    fix: 'Reissue the certificate with every DNS name and IP clients use (subjectAltName).',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        const sc = serverCert(s);
        if (!sc?.cert) continue;
        const node = input.ctx.nodes.find((n) => s.conf.file.includes(n.name) || s.eff.bindAddresses().addresses.some((a) => a === n.ip || a === n.host));
        const addrs = new Set(node ? [node.host, ...(node.ip ? [node.ip] : [])] : input.ctx.nodeAddresses);
        for (const a of s.eff.bindAddresses().addresses) { const x = a.replace(/^-/, ''); if (isIP(x) && !['*', '0.0.0.0', '::', '::*'].includes(x)) addrs.add(x); }
        for (const k of ['cluster-announce-ip', 'replica-announce-ip', 'cluster-announce-hostname']) { const v = s.eff.value(k, false); if (v) addrs.add(v); }
        const missing = [...addrs].filter((h) => !sanCovers(sc.cert!, h));
        if (missing.length) report(sc.d, `${sc.loaded.path} SAN (${sc.cert.subjectAltName ?? 'none'}) does not cover ${missing.join(', ')}`);
      }
    },
  },
  {
    id: 'TLS011', severity: 'warn', title: 'Server-only certificate used for outgoing connections',
    why: 'Without tls-client-cert-file the server certificate is also the client certificate for replication, the cluster bus and Sentinel; an extendedKeyUsage without clientAuth breaks those links.',
    fix: 'Issue the certificate with extendedKeyUsage serverAuth, clientAuth, or set tls-client-cert-file/tls-client-key-file.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        const sc = serverCert(s);
        if (!sc?.cert || s.eff.has('tls-client-cert-file') || !MAKES_OUTGOING(s)) continue;
        const eku = sc.cert.keyUsage;
        if (Array.isArray(eku) && eku.length && !eku.includes('1.3.6.1.5.5.7.3.2')) report(sc.d, `${sc.loaded.path} has no clientAuth extendedKeyUsage but this node makes outgoing TLS connections`);
      }
    },
  },
  {
    id: 'TLS012', severity: 'warn', title: 'Shared or public CA',
    why: 'Redis checks only that a peer chains to the CA, not its name: anyone with a certificate from a shared CA can impersonate a master or cluster peer and capture masterauth.',
    fix: 'Use a dedicated CA per deployment.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        if (!s.eff.tlsInUse()) continue;
        const dir = s.eff.get('tls-ca-cert-dir');
        if (dir && /^\/etc\/(ssl|pki)/.test(dir.args[0] ?? '')) report(dir, `tls-ca-cert-dir ${dir.args[0]} is the system trust store`);
        const f = s.eff.get('tls-ca-cert-file');
        if (!f?.args[0]) continue;
        const p = resolveServerPath(s, f.args[0]);
        const n = loadCerts(p).value?.length ?? 0;
        if (/^\/etc\/(ssl|pki)\//.test(p) || n > 3) report(f, `tls-ca-cert-file ${f.args[0]} looks like a shared bundle (${n} certificates)`);
      }
    },
  },
  {
    id: 'TLS013', severity: 'warn', title: 'Sentinel TLS without tls-replication',
    why: 'Sentinel uses tls-replication both for connecting to masters and for its own port.',
    fix: 'tls-replication yes on every Sentinel.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of sentinels(input)) if (s.eff.tlsPort() > 0 && !s.eff.bool('tls-replication', false)) report(at(s, 'tls-port'), 'Sentinel with tls-port but tls-replication is not yes');
    },
  },
  {
    id: 'TLS015', severity: 'error', title: 'TLS file missing or unreadable',
    why: 'Redis refuses to start when it cannot load the certificate, key or CA.',
    fix: 'Fix the path or the file (PEM), and make it readable by the redis user.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        if (!s.eff.tlsInUse()) continue;
        for (const { key, d, r } of certificateFiles(s)) if (r.error) report(d, `${key} ${r.path} ${r.error}`);
        for (const [k, pass] of [['tls-key-file', 'tls-key-file-pass'], ['tls-client-key-file', 'tls-client-key-file-pass']] as const) {
          const d = s.eff.get(k);
          if (!d?.args[0]) continue;
          const r = loadKey(resolveServerPath(s, d.args[0]), s.eff.value(pass, false));
          if (r.error) report(d, `${k} ${r.path} ${r.error}`);
        }
      }
    },
  },
  {
    id: 'TLS016', severity: 'error', title: 'Certificate and key do not match',
    why: 'Redis refuses to start when the private key does not belong to the certificate.',
    fix: 'Point tls-key-file at the key the certificate was issued for.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        const sc = serverCert(s);
        const kd = s.eff.get('tls-key-file');
        if (!sc?.cert || !kd?.args[0]) continue;
        const key = loadKey(resolveServerPath(s, kd.args[0]), s.eff.value('tls-key-file-pass', false)).value;
        if (key && !sc.cert.checkPrivateKey(key)) report(kd, `${kd.args[0]} is not the private key of ${sc.loaded.path}`);
      }
    },
  },
  {
    id: 'TLS017', severity: 'error', title: 'Certificate expired or expiring',
    why: 'An expired certificate breaks every TLS connection at once; renew well before (check.certExpiryDays, default 30).',
    fix: 'Renew the certificate (gridctl init can reissue it) and reload Redis.',
    docs: DOC.tls,
    check(input, report) {
      const seen = new Set<string>();
      for (const s of input.servers) {
        if (!s.eff.tlsInUse()) continue;
        for (const { d, r } of certificateFiles(s)) {
          for (const c of r.value ?? []) {
            const id = `${r.path}|${c.fingerprint256}`;
            if (seen.has(id)) continue;
            seen.add(id);
            const end = new Date(c.validTo).getTime();
            const days = Math.floor((end - input.ctx.now.getTime()) / 86_400_000);
            if (end <= input.ctx.now.getTime()) report(d, `${r.path} (${c.subject.replace(/\n/g, ', ')}) expired on ${new Date(end).toISOString().slice(0, 10)}`);
            else if (days < input.ctx.certExpiryDays) report(d, `${r.path} expires in ${days} days (${new Date(end).toISOString().slice(0, 10)})`, 'warn');
            else if (new Date(c.validFrom).getTime() > input.ctx.now.getTime()) report(d, `${r.path} is not valid before ${c.validFrom}`);
          }
        }
      }
    },
  },
  {
    id: 'TLS018', severity: 'error', title: 'Certificate not issued by the configured CA',
    why: 'Peers verify each other against tls-ca-cert-file; a certificate from another CA fails every handshake (replication, cluster bus, clients).',
    fix: 'Issue the server certificate from the CA in tls-ca-cert-file, or point it at the right CA.',
    docs: DOC.tls,
    check(input, report) {
      for (const s of input.servers) {
        const sc = serverCert(s);
        const ca = s.eff.get('tls-ca-cert-file');
        if (!sc?.cert || !ca?.args[0]) continue;
        const cas = loadCerts(resolveServerPath(s, ca.args[0])).value;
        if (!cas?.length) continue;
        const ok = cas.some((c) => { try { return sc.cert!.checkIssued(c) && sc.cert!.verify(c.publicKey); } catch { return false; } });
        if (!ok) report(sc.d, `${sc.loaded.path} is not signed by any certificate in ${ca.args[0]}`);
      }
    },
  },
];
