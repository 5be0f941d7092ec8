import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { GridctlError } from '../../core/errors.js';
import { SERVER_VERSIONS } from '../../core/config/server-versions.js';
import { CHECK_FORMATS } from '../../core/lint/formats.js';
import { findRule, ruleCatalog } from '../../core/lint/catalog.js';
import type { CatalogReport, CheckReport } from '../../core/lint/report.js';
import type { Finding, RuleMeta } from '../../core/lint/types.js';
import { renderCatalog, renderCheck, renderExplain } from '../../ui/views/check-view.js';
import { VERSION } from '../../version.js';

const checkOptions = z.strictObject({
  paths: z._default(z.array(z.string()), []),
  format: z._default(z.enum(CHECK_FORMATS), 'human'),
  strict: z._default(z.boolean(), false),
  maxWarnings: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  boot: z._default(z.boolean(), false),
  redisServer: z.optional(z.string()),
  live: z.optional(z.union([z.string(), z.boolean()])),
  redisVersion: z.optional(z.enum(SERVER_VERSIONS)),
  listRules: z.optional(z.boolean()),
  explain: z.optional(z.string()),
  now: z.optional(z.date()),
});

export type CheckOptions = z.infer<typeof checkOptions>;

/** What check prints: the lint report, the rule catalog (--list-rules) or one rule (--explain). */
type CheckOutcome = { kind: 'check'; report: CheckReport } | { kind: 'catalog'; catalog: CatalogReport } | { kind: 'explain'; rule: RuleMeta };

/** `gridctl check [paths...]`: lint the files (plus --boot / --live); errors, or warnings with --strict, exit 1. */
export default defineCommand({
  options: checkOptions,
  async run(opts: CheckOptions, ctx): Promise<CheckOutcome> {
    if (opts.explain) {
      const rule = findRule(opts.explain);
      if (!rule) throw new GridctlError('USAGE', `no rule "${opts.explain}"`, { hint: 'gridctl check --list-rules shows every rule ID' });
      return { kind: 'explain', rule };
    }
    if (opts.listRules) return { kind: 'catalog', catalog: { rules: ruleCatalog() } };
    return { kind: 'check', report: await runCheck(opts, ctx) };
  },
  render(outcome, out, opts) {
    if (outcome.kind === 'explain') return renderExplain(outcome.rule, out, false);
    if (outcome.kind === 'catalog') return renderCatalog(outcome.catalog, out, false);
    renderCheck(outcome.report, out, opts.format, ruleCatalog(), VERSION);
  },
  json: (outcome) => (outcome.kind === 'check' ? outcome.report : outcome.kind === 'catalog' ? outcome.catalog : outcome.rule),
  verdict: (outcome) => (outcome.kind === 'check' && outcome.report.verdict !== 'pass' ? 1 : 0),
});

/** `gridctl check`: lint the files (plus --boot / --live) and return the report; never prints. */
async function runCheck(opts: CheckOptions, ctx: CommandContext): Promise<CheckReport> {
  const { contextFromConfig } = await import('../../core/lint/config-context.js');
  const { discoverFiles } = await import('../../core/lint/discover.js');
  const { lintFiles } = await import('../../core/lint/engine.js');
  const { summarise, verdictOf } = await import('../../core/lint/report.js');
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
    const { bootFiles } = await import('../../core/lint/boot.js');
    const { bootRule } = await import('../../core/lint/rules/live.js');
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
    const { readLive, compareLive } = await import('../../core/lint/live.js');
    // --live URL names one server to compare with; otherwise the connection flags say where it is.
    const deployment = await ctx.openDeployment(typeof opts.live === 'string' ? await ctx.instanceSpec(opts.live, ctx.timeoutMs) : undefined);
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
      if (snap.denied.length) ctx.out.warn(`--live: not allowed to run ${snap.denied.join(', ')}; those comparisons were skipped (grant +config|get +acl|list +info)`);
    } finally {
      await deployment.close();
    }
  }
  const summary = summarise(findings, result.files.length);
  return { ...report, summary, ...verdictOf(summary, { strict: opts.strict, ...(opts.maxWarnings !== undefined ? { maxWarnings: opts.maxWarnings } : {}) }) };
}

