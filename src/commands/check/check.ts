import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { GridctlError } from '../../core/errors.js';
import { SERVER_VERSIONS } from '../../core/config/server-versions.js';
import { CHECK_FORMATS } from '../../core/lint/formats.js';
import { findRule, ruleCatalog } from '../../core/lint/catalog.js';
import { contextFromConfig } from '../../core/lint/config-context.js';
import { runCheck } from '../../core/lint/run-check.js';
import type { CatalogReport, CheckReport } from '../../core/lint/report.js';
import type { RuleMeta } from '../../core/lint/types.js';
import type { Deployment } from '../../core/redis/deployment.js';
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
    return { kind: 'check', report: await lintReport(opts, ctx) };
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
async function lintReport(opts: CheckOptions, ctx: CommandContext): Promise<CheckReport> {
  const loaded = await ctx.loadConfig();
  const { ctx: lint, overrides, files: configured } = contextFromConfig(loaded, { configDir: await ctx.configDir(), ...(opts.redisVersion ? { version: opts.redisVersion } : {}), ...(opts.now ? { now: opts.now } : {}) });
  return runCheck({
    inputs: checkInputs(opts.paths, configured, loaded.path),
    lint,
    overrides,
    ...(opts.boot ? { boot: opts.redisServer ? { redisServer: opts.redisServer } : {} } : {}),
    ...liveDeployment(opts.live, ctx),
    strict: opts.strict,
    ...(opts.maxWarnings !== undefined ? { maxWarnings: opts.maxWarnings } : {}),
    onBooting: (files) => ctx.out.info(`booting ${files} file(s) with redis-server on loopback ports…`),
    onLiveDenied: (commands) => ctx.out.warn(`--live: not allowed to run ${commands.join(', ')}; those comparisons were skipped (grant +config|get +acl|list +info)`),
  });
}

/** The paths given, else check.files, else (with a gridctl.yaml) the folder of the deployment it describes. */
function checkInputs(paths: string[], configured: string[], configPath: string | undefined): string[] {
  const inputs = paths.length ? paths : configured.length ? configured : configPath ? [path.dirname(configPath)] : [];
  if (!inputs.length) throw new GridctlError('USAGE', 'nothing to check: give files or directories', { hint: 'gridctl check /etc/redis/redis.conf, run it next to a gridctl.yaml, or list files under check.files' });
  return inputs;
}

/** --live URL names one server to compare with; a bare --live means where the connection flags point. */
function liveDeployment(live: CheckOptions['live'], ctx: CommandContext): { live?: () => Promise<Deployment> } {
  if (live === undefined || live === false) return {};
  return { live: async () => ctx.openDeployment(typeof live === 'string' ? await ctx.instanceSpec(live, ctx.timeoutMs) : undefined) };
}
