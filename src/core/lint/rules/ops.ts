import { DOC, at, dataNodes, type Rule } from './rule.js';

/** Operations rules (OPS0xx). */
export const opsRules: Rule[] = [
  {
    id: 'OPS002', severity: 'warn', title: 'Slow log disabled or logging everything',
    why: 'A negative slowlog-log-slower-than disables the slow log, 0 logs every command; the default is 10000 µs.',
    fix: 'slowlog-log-slower-than 10000 and slowlog-max-len 128',
    docs: DOC.admin,
    check(input, report) {
      for (const s of dataNodes(input)) {
        const v = s.eff.int('slowlog-log-slower-than', 10000);
        if (v <= 0) report(at(s, 'slowlog-log-slower-than'), v < 0 ? 'slow log disabled' : 'slowlog-log-slower-than 0 logs every command');
        if (s.eff.has('slowlog-max-len') && s.eff.int('slowlog-max-len', 128) === 0) report(at(s, 'slowlog-max-len'), 'slowlog-max-len 0 keeps no entries');
      }
    },
  },
  {
    id: 'OPS004', severity: 'warn', title: 'TCP keepalive off',
    why: 'Dead peers are never detected; 300 is "a reasonable value".',
    fix: 'tcp-keepalive 300',
    docs: DOC.admin,
    check(input, report) {
      for (const s of input.servers) if (s.eff.has('tcp-keepalive') && s.eff.int('tcp-keepalive', 300) === 0) report(at(s, 'tcp-keepalive'), 'tcp-keepalive 0');
    },
  },
  {
    id: 'OPS005', severity: 'warn', title: 'maxclients above the file-descriptor limit',
    why: 'Redis silently lowers maxclients to the fd limit − 32.',
    fix: 'Raise LimitNOFILE (systemd) or lower maxclients.',
    docs: DOC.admin,
    check(input, report) {
      const limit = input.ctx.maxOpenFiles;
      if (!limit) return;
      for (const s of input.servers) { const v = s.eff.int('maxclients', 10000); if (v > limit - 32) report(at(s, 'maxclients'), `maxclients ${v} is above the fd limit ${limit} − 32`); }
    },
  },
  {
    id: 'OPS006', severity: 'warn', title: 'Verbose log level',
    why: 'debug/verbose logging is noisy and may put data in logs.',
    fix: 'loglevel notice',
    docs: DOC.admin,
    check(input, report) {
      for (const s of input.servers) { const v = s.eff.value('loglevel'); if (v === 'debug' || v === 'verbose') report(at(s, 'loglevel'), `loglevel ${v}`); }
    },
  },
  {
    id: 'OPS007', severity: 'warn', title: 'Daemonized with logs to /dev/null',
    why: 'With daemonize yes and logfile "", "logs will be sent to /dev/null".',
    fix: 'Set logfile to a path (or run under systemd with daemonize no).',
    docs: DOC.admin,
    check(input, report) {
      for (const s of input.servers) if (s.eff.bool('daemonize', false) && s.eff.value('logfile', false) === '' ) report(at(s, 'logfile'), 'daemonize yes with logfile "": logs go to /dev/null');
    },
  },
  {
    id: 'OPS008', severity: 'warn', title: 'Daemonizing under systemd',
    why: 'With supervised systemd the unit is Type=notify; daemonize yes forks away and the unit hangs or times out.',
    fix: 'daemonize no with supervised systemd.',
    docs: DOC.admin,
    check(input, report) {
      for (const s of input.servers) if (s.eff.value('supervised') === 'systemd' && s.eff.bool('daemonize', false)) report(at(s, 'daemonize'), 'daemonize yes together with supervised systemd');
    },
  },
  {
    id: 'OPS009', severity: 'warn', title: 'hide-user-data-from-log for an older target',
    why: 'hide-user-data-from-log exists only from Redis 7.4 (and Valkey 8.0).',
    fix: 'Drop it for 7.0/7.2 targets.',
    docs: DOC.admin,
    check(input, report) {
      if (input.ctx.version !== '7.0' && input.ctx.version !== '7.2') return;
      for (const s of input.servers) if (s.eff.has('hide-user-data-from-log')) report(at(s, 'hide-user-data-from-log'), `hide-user-data-from-log is not known to Redis ${input.ctx.version}`);
    },
  },
];
