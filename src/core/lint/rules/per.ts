import { statSync } from 'node:fs';
import { DOC, at, dataNodes, type Rule } from './rule.js';
import { resolveServerPath } from '../certs.js';
import { hasReplicas } from './topology.js';

/** Persistence rules (PER0xx); several depend on the store / cache profile. */
export const perRules: Rule[] = [
  {
    id: 'PER001', severity: 'error', title: 'Store without AOF',
    why: 'RDB alone can lose minutes of writes; data that must not be lost needs AOF (plus RDB).',
    fix: 'appendonly yes',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.profile === 'store' && !s.eff.bool('appendonly', false)) report(at(s, 'appendonly'), 'store profile with appendonly no');
    },
  },
  {
    id: 'PER002', severity: 'warn', title: 'Weak appendfsync',
    why: '`no` leaves flushing to the kernel (~30 s of writes at risk); `everysec` may lose a second, so an order book also needs min-replicas-to-write and WAIT.',
    fix: 'appendfsync always, or everysec with min-replicas-to-write 1 and WAIT on critical writes.',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) {
        if (!s.eff.bool('appendonly', false)) continue;
        const v = s.eff.value('appendfsync') ?? 'everysec';
        if (v === 'no') report(at(s, 'appendfsync'), 'appendfsync no', s.profile === 'store' ? 'error' : 'warn');
        else if (v === 'everysec' && s.profile === 'store' && s.eff.int('min-replicas-to-write', 0) === 0) report(at(s, 'appendfsync'), 'store with appendfsync everysec and no min-replicas-to-write: up to 1 s of acknowledged writes can be lost');
      }
    },
  },
  {
    id: 'PER003', severity: 'warn', title: 'AOF without RDB preamble',
    why: 'The RDB preamble is always faster and more efficient; `no` exists only for backward compatibility.',
    fix: 'aof-use-rdb-preamble yes',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.value('aof-use-rdb-preamble') === 'no') report(at(s, 'aof-use-rdb-preamble'), 'aof-use-rdb-preamble no');
    },
  },
  {
    id: 'PER004', severity: 'error', title: 'RDB checksums disabled',
    why: 'The checksum is written as 0 and not verified on load, so corruption goes unnoticed; the setting is immutable.',
    fix: 'rdbchecksum yes',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.value('rdbchecksum') === 'no') report(at(s, 'rdbchecksum'), 'rdbchecksum no');
    },
  },
  {
    id: 'PER005', severity: 'warn', title: 'Writes continue after a failed save',
    why: 'With stop-writes-on-bgsave-error no, writes continue silently after persistence has failed.',
    fix: 'stop-writes-on-bgsave-error yes',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.eff.saveEnabled() && s.eff.value('stop-writes-on-bgsave-error') === 'no') report(at(s, 'stop-writes-on-bgsave-error'), 'stop-writes-on-bgsave-error no while RDB saving is on', s.profile === 'store' ? 'error' : 'warn');
    },
  },
  {
    id: 'PER006', severity: 'warn', title: 'Store without RDB snapshots',
    why: 'Periodic RDB snapshots give backups and fast restarts; AOF-only is discouraged.',
    fix: 'save 3600 1 300 100 60 10000 (or your own points)',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.profile === 'store' && !s.eff.saveEnabled()) report(at(s, 'save'), 'store profile with RDB snapshots off (save "")');
    },
  },
  {
    id: 'PER007', severity: 'error', title: 'Master without persistence under auto-restart',
    why: 'A master that restarts empty makes its replicas sync the empty dataset: everything is lost.',
    fix: 'Enable RDB or AOF on masters, or disable automatic restarts.',
    docs: DOC.replication,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const supervised = s.eff.value('supervised');
        if (s.eff.has('replicaof') || s.eff.saveEnabled() || s.eff.bool('appendonly', false)) continue;
        if (hasReplicas(input, s) && (supervised === 'systemd' || supervised === 'auto' || supervised === 'upstart')) report(at(s, 'supervised'), `master with RDB and AOF off, replicas, and supervised ${supervised} (auto-restart): a restart wipes the replicas`);
      }
    },
  },
  {
    id: 'PER008', severity: 'warn', title: 'fsync paused during rewrites',
    why: '"no is the safest pick from the point of view of durability".',
    fix: 'no-appendfsync-on-rewrite no',
    docs: DOC.persistence,
    check(input, report) {
      for (const s of dataNodes(input)) if (s.profile === 'store' && s.eff.value('no-appendfsync-on-rewrite') === 'yes') report(at(s, 'no-appendfsync-on-rewrite'), 'no-appendfsync-on-rewrite yes on a store');
    },
  },
  {
    id: 'PER010', severity: 'warn', title: 'Data dir or config file permissions',
    why: 'The data dir holds every key (RDB/AOF); config and ACL files hold secrets. /tmp or world-writable dirs and world-readable configs leak them.',
    fix: 'dir owned by redis with mode 0750; chmod 640 (or 600) the config and ACL files.',
    docs: DOC.security,
    check(input, report) {
      for (const s of input.servers) {
        const d = s.eff.get('dir');
        if (d?.args[0]) {
          const p = resolveServerPath(s, d.args[0]);
          let mode: number | undefined;
          try { mode = statSync(p).mode; } catch { mode = undefined; }
          if (/^\/(var\/)?tmp(\/|$)/.test(p)) report(d, `dir ${p} is a temporary directory`);
          else if (mode !== undefined && (mode & 0o002)) report(d, `dir ${p} is world-writable`);
        }
        for (const f of s.conf.files) {
          try { if (statSync(f).mode & 0o004) report({ file: f, line: 0 }, `${f} is world-readable`); } catch { /* unreadable: reported elsewhere */ }
        }
      }
      for (const acl of input.acls) {
        try { if (statSync(acl.file).mode & 0o004) report({ file: acl.file, line: 0 }, `${acl.file} is world-readable`); } catch { /* ignore */ }
      }
    },
  },
];
