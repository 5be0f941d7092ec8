import path from 'node:path';
import { Command, Option } from 'commander';
import type * as z from 'zod/mini';
import type { optionsSchema } from './check-options.js';
import { contextFromCommand, type CommandContext } from './context.js';
import { GridctlError } from '../core/errors.js';
import type { CheckReport } from '../core/lint/report.js';
import type { Finding } from '../core/lint/types.js';

export type CheckCommandOptions = z.infer<typeof optionsSchema>;

/** Raw commander options -> typed options; a bad flag fails here, before any file is read. */
export async function parseCheckOptions(raw: Record<string, unknown>, paths: string[], json: boolean): Promise<CheckCommandOptions> {
  // The schema lives in check-options.ts so `gridctl --help` does not load zod.
  const { optionsSchema } = await import('./check-options.js');
  let maxWarnings: number | undefined;
  if (raw.maxWarnings !== undefined) {
    maxWarnings = Number(raw.maxWarnings);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw usage(`--max-warnings must be a whole number ≥ 0, got "${String(raw.maxWarnings)}"`);
  }
  const parsed = optionsSchema.safeParse({
    paths,
    format: json ? 'json' : (raw.format ?? 'human'),
    strict: Boolean(raw.strict),
    ...(maxWarnings !== undefined ? { maxWarnings } : {}),
    boot: Boolean(raw.boot),
    ...(raw.redisServer ? { redisServer: raw.redisServer } : {}),
    ...(raw.live !== undefined ? { live: raw.live } : {}),
    ...(raw.redisVersion ? { redisVersion: raw.redisVersion } : {}),
  });
  if (!parsed.success) throw usage(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '')}: ${i.message}`).join('; '));
  return parsed.data;
}

const usage = (message: string) => new GridctlError('USAGE', message);

/** `gridctl check`: lint the files (plus --boot / --live) and return the report; never prints. */
export async function runCheck(opts: CheckCommandOptions, ctx: CommandContext): Promise<CheckReport> {
  const { contextFromConfig } = await import('../core/lint/config-context.js');
  const { discoverFiles } = await import('../core/lint/discover.js');
  const { lintFiles } = await import('../core/lint/engine.js');
  const { summarise, verdictOf } = await import('../core/lint/report.js');
  const loaded = await ctx.loadConfig();
  const { ctx: lintCtx, overrides, files: configured } = contextFromConfig(loaded, { ...(opts.redisVersion ? { version: opts.redisVersion } : {}), ...(opts.now ? { now: opts.now } : {}) });
  // With no paths and no check.files, a gridctl.yaml means "the deployment it describes": its folder.
  const inputs = opts.paths.length ? opts.paths : configured.length ? configured : loaded.path ? [path.dirname(loaded.path)] : [];
  if (!inputs.length) throw new GridctlError('USAGE', 'nothing to check: give files or directories', { hint: 'gridctl check /etc/redis/redis.conf, run it next to a gridctl.yaml, or list files under check.files' });
  const { files, missing } = discoverFiles(inputs);
  if (missing.length) throw new GridctlError('USAGE', `no such file or directory: ${missing.join(', ')}`, { hint: 'check the path (relative paths are resolved against the current directory)' });
  if (!files.length) throw new GridctlError('USAGE', `no .conf or .acl files found in ${inputs.join(', ')}`);
  const result = lintFiles(files, lintCtx, overrides);
  const findings: Finding[] = [...result.findings];
  const report: Omit<CheckReport, 'summary' | 'verdict'> = { target: lintCtx.version, files: result.files, findings };

  if (opts.boot) {
    const { bootFiles } = await import('../core/lint/boot.js');
    const { bootRule } = await import('../core/lint/rules/live.js');
    ctx.out.info(`booting ${result.files.length} file(s) with redis-server on loopback ports…`);
    const boots = await bootFiles(result.files, { ...(opts.redisServer ? { redisServer: opts.redisServer } : {}) });
    report.boot = boots;
    for (const b of boots) {
      if (b.booted || b.skipped) continue;
      const at = b.at ?? { file: b.file, line: 0 };
      findings.push({ ruleId: bootRule.id, severity: 'error', title: bootRule.title, message: `redis-server ${b.version ?? ''} refused to start: ${b.reason ?? 'unknown reason'}`.replace('  ', ' '), file: at.file, line: at.line, fix: bootRule.fix, docs: bootRule.docs });
    }
  }

  if (opts.live !== undefined && opts.live !== false) {
    if (typeof opts.live === 'string') ctx.global.url = opts.live;
    const { readLive, compareLive } = await import('../core/lint/live.js');
    const deployment = await ctx.openDeployment();
    try {
      const [master] = await deployment.masterClients();
      const snap = await readLive(master!.client);
      const servers = result.servers.filter((s) => s.kind === 'redis');
      const port = Number(snap.config.get('port') ?? 0);
      const tlsPort = Number(snap.config.get('tls-port') ?? 0);
      const server = servers.find((s) => (port && s.eff.port() === port) || (tlsPort && s.eff.tlsPort() === tlsPort)) ?? servers[0];
      const live = compareLive(server, snap, master!.address, lintCtx.version);
      findings.push(...live.findings);
      report.live = live.summary;
      report.coverage = await deployment.coverage([master!.address]);
      ctx.warnCoverage(report.coverage);
      if (snap.denied.length) ctx.out.warn(`--live: not allowed to run ${snap.denied.join(', ')}; those comparisons were skipped (grant +config|get +acl|list +info)`);
    } finally {
      await deployment.close();
    }
  }
  const summary = summarise(findings, result.files.length);
  return { ...report, summary, ...verdictOf(summary, { strict: opts.strict, ...(opts.maxWarnings !== undefined ? { maxWarnings: opts.maxWarnings } : {}) }) };
}

export function checkCommand(): Command {
  return new Command('check')
    .description('lint redis.conf, ACL files and sentinel.conf for CI (exact Redis parsing, hardening rules); --boot and --live for ground truth')
    .argument('[paths...]', 'files or directories (default: check.files in gridctl.yaml)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'sarif', 'junit', 'github']).default('human'))
    .option('--strict', 'warnings fail the check too (exit 1)')
    .option('--max-warnings <n>', 'fail when there are more than n warnings')
    .option('--boot', 'also start redis-server on a throwaway copy of each file (loopback ports) and report whether it boots')
    .option('--redis-server <path>', 'redis-server binary for --boot (default: PATH)')
    .option('--live [url]', 'compare with a running server (URL, or --url / --target / REDIS_URL): drift per directive and per user')
    .addOption(new Option('--redis-version <v>', 'target version (default: check.version / server.version in gridctl.yaml, else 7.0)').choices(['7.0', '7.2', '7.4', 'valkey-8']))
    .option('--list-rules', 'list every rule (ID, severity, title) and exit')
    .option('--explain <id>', 'explain one rule: why, how to fix, docs link')
    .addHelpText(
      'after',
      `
Files: redis.conf (includes are followed), sentinel.conf and ACL files; a directory is searched for
*.conf and *.acl. Every finding points at file:line. With a gridctl.yaml the rules also know the
profile (store/cache), namespaces, topology, target version, node addresses and user roles; rules
can be disabled or re-levelled under check.rules, each with a reason.

Exit codes: 0 clean · 1 errors (or warnings with --strict / over --max-warnings) · 3 usage or bad gridctl.yaml
            4/5 only with --live (authentication / unreachable)

ACL permissions (--live only): +config|get +acl|list +info

Examples:
  $ gridctl check /etc/redis/redis.conf                 lint one file (and its includes)
  $ gridctl check deploy/ --strict                      every .conf/.acl below deploy/, warnings fail
  $ gridctl check deploy/ --format sarif > check.sarif  GitHub code scanning
  $ gridctl check deploy/ --format github               workflow annotations
  $ gridctl check redis.conf --boot                     and prove redis-server accepts it
  $ gridctl check redis.conf --live redis://monitor@10.0.0.5:6379 --password-file monitor.pass
  $ gridctl check --list-rules
  $ gridctl check --explain AUTH013`,
    )
    .action(async (paths: string[], raw: Record<string, unknown>, cmd: Command) => {
      const ctx = contextFromCommand(cmd);
      if (raw.listRules || raw.explain) {
        const { ruleCatalog, findRule } = await import('../core/lint/catalog.js');
        const view = await import('../ui/views/check-view.js');
        if (raw.explain) {
          const rule = findRule(String(raw.explain));
          if (!rule) throw new GridctlError('USAGE', `no rule "${String(raw.explain)}"`, { hint: 'gridctl check --list-rules shows every rule ID' });
          return view.renderExplain(rule, ctx.out, ctx.json);
        }
        return view.renderCatalog({ rules: ruleCatalog() }, ctx.out, ctx.json);
      }
      const opts = await parseCheckOptions(raw, paths, ctx.json);
      const report = await runCheck(opts, ctx);
      const { renderCheck } = await import('../ui/views/check-view.js');
      const { ruleCatalog } = await import('../core/lint/catalog.js');
      const { VERSION } = await import('../version.js');
      renderCheck(report, ctx.out, opts.format, ruleCatalog(), VERSION);
      process.exitCode = report.verdict === 'pass' ? 0 : 1;
    });
}
