import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Directive } from '../conf.js';
import type { ServerUnit } from '../model.js';
import { DOC, dataNodes, sentinels, type Rule, type RuleInput } from './rule.js';

/** Sentinel rules (SEN0xx): per file, and inventory-level (how many Sentinels watch a master). */

const sub = (d: Directive) => d.args[0]?.toLowerCase();
const monitors = (s: ServerUnit) => s.eff.lines('sentinel').filter((d) => sub(d) === 'monitor');
const option = (s: ServerUnit, name: string, master?: string) =>
  s.eff.lines('sentinel').filter((d) => sub(d) === name && (master === undefined || d.args[1] === master)).at(-1);

/** Number of Sentinels watching `master`, when the inventory is known (gridctl.yaml or several files). */
function sentinelCount(input: RuleInput, master: string): number | undefined {
  const files = sentinels(input).filter((s) => monitors(s).some((m) => m.args[1] === master)).length;
  if (input.ctx.topology?.kind === 'sentinel') return input.ctx.topology.sentinels ?? files;
  return files >= 2 ? files : undefined;
}

function firstMonitor(input: RuleInput, master: string): Directive | undefined {
  for (const s of sentinels(input)) { const m = monitors(s).find((x) => x.args[1] === master); if (m) return m; }
  return undefined;
}

const masterNames = (input: RuleInput) => [...new Set(sentinels(input).flatMap((s) => monitors(s).map((m) => m.args[1]!)))];

export const senRules: Rule[] = [
  {
    id: 'SEN001', severity: 'error', title: 'Fewer than 3 Sentinels',
    why: '"You need at least three Sentinel instances for a robust deployment", on hosts that fail independently.',
    fix: 'Run 3 (or 5) Sentinels.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const m of masterNames(input)) { const n = sentinelCount(input, m); if (n !== undefined && n < 3) report(firstMonitor(input, m)!, `only ${n} Sentinel(s) monitor ${m}`); }
    },
  },
  {
    id: 'SEN002', severity: 'warn', title: 'Even number of Sentinels',
    why: 'A failover needs a majority ⌊N/2⌋+1, so an even N adds cost and no failure tolerance (4 tolerates 1, like 3).',
    fix: 'Use an odd number of Sentinels.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const m of masterNames(input)) { const n = sentinelCount(input, m); if (n !== undefined && n >= 2 && n % 2 === 0) report(firstMonitor(input, m)!, `${n} Sentinels monitor ${m}: an even count tolerates no more failures than ${n - 1}`); }
    },
  },
  {
    id: 'SEN003', severity: 'error', title: 'Invalid quorum',
    why: 'quorum ≤ 0 is fatal ("Quorum must be 1 or greater."); a quorum larger than the number of Sentinels can never be reached.',
    fix: 'quorum = majority of the Sentinels (2 of 3, 3 of 5).',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) {
        for (const d of monitors(s)) {
          const raw = d.args[4] ?? '';
          const q = /^-?\d+/.test(raw) ? parseInt(raw, 10) : 0; // Redis uses atoi: "${QUORUM}" reads as 0
          if (q <= 0) report(d, `quorum "${raw}" is not a positive integer${/\$|\{/.test(raw) ? ' (an unexpanded template placeholder)' : ''}: Redis refuses to start with "Quorum must be 1 or greater."`);
          else { const n = sentinelCount(input, d.args[1]!); if (n !== undefined && q > n) report(d, `quorum ${q} is larger than the ${n} Sentinels: ODOWN can never be reached`); }
        }
      }
    },
  },
  {
    id: 'SEN004', severity: 'warn', title: 'Quorum above the majority',
    why: 'The quorum only gates failure detection; failover still needs a majority, so quorum > majority lowers availability for nothing.',
    fix: 'quorum = ⌊N/2⌋+1',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) {
        for (const d of monitors(s)) {
          const q = parseInt(d.args[4] ?? '', 10);
          const n = sentinelCount(input, d.args[1]!);
          if (n !== undefined && q > Math.floor(n / 2) + 1 && q <= n) report(d, `quorum ${q} is above the majority ${Math.floor(n / 2) + 1} of ${n} Sentinels`);
        }
      }
    },
  },
  {
    id: 'SEN005', severity: 'warn', title: 'down-after-milliseconds too low',
    why: 'Below ~5 s GC pauses or network jitter cause spurious failovers.',
    fix: 'sentinel down-after-milliseconds <master> 5000 (or more)',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) for (const d of s.eff.lines('sentinel').filter((x) => sub(x) === 'down-after-milliseconds')) { const v = Number(d.args[2]); if (Number.isFinite(v) && v < 5000) report(d, `down-after-milliseconds ${v} for ${d.args[1]}`); }
    },
  },
  {
    id: 'SEN007', severity: 'error', title: 'Sentinel cannot authenticate to the data nodes',
    why: 'When the data nodes require a password (or named ACL users), Sentinel needs auth-pass (and auth-user) to monitor and fail over.',
    fix: 'sentinel auth-user <master> <user> and sentinel auth-pass <master> <password>',
    docs: DOC.sentinel,
    check(input, report) {
      const nodes = dataNodes(input);
      if (!nodes.length) return;
      const needAuth = nodes.some((n) => !(n.users.defaultUser.enabled && n.users.defaultUser.nopass));
      const defaultOff = nodes.some((n) => !n.users.defaultUser.enabled);
      for (const s of sentinels(input)) {
        for (const m of monitors(s)) {
          const name = m.args[1]!;
          if (needAuth && !option(s, 'auth-pass', name)) report(m, `the data nodes require authentication but there is no sentinel auth-pass for ${name}`);
          else if (defaultOff && !option(s, 'auth-user', name)) report(m, `the data nodes' default user is off but there is no sentinel auth-user for ${name}`);
        }
      }
    },
  },
  {
    id: 'SEN008', severity: 'error', title: 'Sentinel without authentication',
    why: 'Sentinel forces protected-mode off, so anyone who reaches it can SENTINEL SET, FAILOVER or RESET.',
    fix: 'Give Sentinel ACL users (user default off + named users) or requirepass, identical on all Sentinels, and restrict bind.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) { const d = s.users.defaultUser; if (d.enabled && d.nopass) report({ file: s.conf.file, line: monitors(s)[0]?.line ?? 0 }, 'Sentinel has no authentication (default user on, nopass)'); }
    },
  },
  {
    id: 'SEN009', severity: 'error', title: 'Sentinel ACL without sentinel-user / sentinel-pass',
    why: 'With the default user off, Sentinels cannot authenticate to each other unless sentinel-user/sentinel-pass are set.',
    fix: 'sentinel sentinel-user <user> and sentinel sentinel-pass <password>',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) if (!s.users.defaultUser.enabled && s.users.source !== 'none' && (!option(s, 'sentinel-user') || !option(s, 'sentinel-pass'))) report(s.users.defaultUser, 'the default user is off but sentinel-user / sentinel-pass is missing');
    },
  },
  {
    id: 'SEN010', severity: 'error', title: 'Scripts can be reconfigured at run time',
    why: 'With deny-scripts-reconfig no, SENTINEL SET can change notification/reconfig scripts and run any program on failover.',
    fix: 'sentinel deny-scripts-reconfig yes',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) { const d = option(s, 'deny-scripts-reconfig'); if (d && d.args[1]?.toLowerCase() === 'no') report(d, 'sentinel deny-scripts-reconfig no'); }
    },
  },
  {
    id: 'SEN011', severity: 'error', title: 'Hostname without resolve-hostnames',
    why: 'With resolve-hostnames no (the default) a hostname in sentinel monitor is fatal: "Can\'t resolve instance hostname."',
    fix: 'sentinel resolve-hostnames yes (and announce-hostnames yes when clients verify names), or use IPs everywhere.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) {
        const resolve = option(s, 'resolve-hostnames')?.args[1]?.toLowerCase() === 'yes';
        const announce = option(s, 'announce-hostnames')?.args[1]?.toLowerCase() === 'yes';
        for (const d of monitors(s)) {
          const host = d.args[2] ?? '';
          if (isIP(host)) continue;
          if (!resolve) report(d, `sentinel monitor uses the hostname "${host}" but sentinel resolve-hostnames is not yes: Redis refuses to start ("Can't resolve instance hostname.")`);
          else if (!announce && s.eff.tlsInUse()) report(d, `hostname "${host}" with TLS but announce-hostnames is not yes: clients get IPs that the certificate may not cover`, 'warn');
        }
      }
    },
  },
  {
    id: 'SEN012', severity: 'error', title: 'sentinel.conf is not writable',
    why: 'Sentinel exits when its config file is not writable: it rewrites it with its state (myid, epochs, known replicas).',
    fix: 'chmod 600 sentinel.conf, owned by the user Sentinel runs as; never overwrite it after the first start.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) { try { if ((statSync(s.conf.file).mode & 0o200) === 0) report({ file: s.conf.file, line: 0 }, `${s.conf.file} is read-only: Sentinel refuses to start`); } catch { /* unreadable: reported by the parser */ } }
    },
  },
  {
    id: 'SEN013', severity: 'warn', title: 'Master name with unusual characters',
    why: 'The master name should only use A-z 0-9 and .-_',
    fix: 'Rename the master, e.g. gridtokenx.',
    docs: DOC.sentinel,
    check(input, report) {
      for (const s of sentinels(input)) for (const d of monitors(s)) if (!/^[A-Za-z0-9._-]+$/.test(d.args[1] ?? '')) report(d, `master name "${d.args[1]}"`);
    },
  },
];

