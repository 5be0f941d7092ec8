import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import type { CommandContext } from '../context.js';
import { GridctlError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { DEFAULT_RUN_DIR, readLocalState, type LocalState } from '../../core/local/state.js';
import { productionReason, refuseProduction } from '../../core/drill/production-guard.js';
import { runFailoverDrill, type FailoverDrillReport } from '../../core/drill/failover-drill.js';
import type { FailoverPlan } from '../../core/drill/failover-trigger.js';
import { renderFailoverDrill } from '../../ui/views/drill-failover-view.js';

const durationText = z.string().check(z.minLength(1));

export const drillFailoverOptions = z.strictObject({
  kill: z._default(z.boolean(), false),
  failback: z._default(z.boolean(), false),
  warmup: z._default(durationText, '1s'),
  settle: z._default(durationText, '1s'),
  failoverTimeout: z._default(durationText, '30s'),
  rate: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 200),
  waitTimeout: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(60_000)), 1000),
  dryRun: z._default(z.boolean(), false),
  iKnowThisIsProduction: z._default(z.boolean(), false),
  format: z.optional(z.enum(['table', 'json'])),
});

export type DrillFailoverFlags = z.infer<typeof drillFailoverOptions>;

/** --kill needs the state of the local deployment (`gridctl up`) to find the master's pid. */
async function localState(ctx: CommandContext): Promise<LocalState> {
  const dir = path.resolve(ctx.cwd, ctx.global.runDir ?? DEFAULT_RUN_DIR);
  const state = await readLocalState(dir);
  if (!state) throw new GridctlError('USAGE', `--kill works only on a local \`gridctl up\` deployment; nothing runs from ${dir}`, { hint: 'pass --run-dir, or drop --kill for a coordinated failover' });
  return state;
}

function question(plan: FailoverPlan): string {
  const how = plan.method === 'SIGKILL' ? `SIGKILL the master ${plan.master}` : plan.method === 'SENTINEL FAILOVER' ? `fail the master ${plan.master} over (SENTINEL FAILOVER)` : `fail the master ${plan.master} over to ${plan.promote} (CLUSTER FAILOVER)`;
  return `Write drill keys and ${how}?`;
}

/** `gridctl drill failover`: a failover under load, measured; lost acknowledged writes or no recovery exit 1. */
export default defineCommand({
  options: drillFailoverOptions,
  async run(flags, ctx): Promise<FailoverDrillReport> {
    const timing = { warmupMs: parseDuration(flags.warmup, '--warmup'), settleMs: parseDuration(flags.settle, '--settle'), failoverTimeoutMs: parseDuration(flags.failoverTimeout, '--failover-timeout') };
    if (timing.failoverTimeoutMs <= 0) throw new GridctlError('USAGE', '--failover-timeout must be greater than 0');
    const { config } = await ctx.loadConfig();
    const spec = await ctx.connectionSpec();
    refuseProduction(productionReason(config, spec, ctx.global.target ?? ctx.env.GRIDCTL_TARGET ?? config.defaultTarget), flags.iKnowThisIsProduction, 'run a failover drill');
    const kill = flags.kill ? await localState(ctx) : undefined;
    const dep = await ctx.openDeployment(spec);
    try {
      return await runFailoverDrill(dep, {
        dryRun: flags.dryRun,
        ...(kill ? { kill } : {}),
        failback: flags.failback,
        ...timing,
        writesPerSecond: flags.rate,
        waitTimeoutMs: flags.waitTimeout,
        confirm: (plan) => ctx.ui.confirmDestructive(question(plan), { what: 'fail a live deployment over', hint: 'check the plan with --dry-run first, then re-run with --yes' }),
        onProgress: (m) => ctx.out.info(`drill: ${m}`),
      });
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderFailoverDrill(report, out),
  verdict: (report) => (report.ok ? 0 : 1),
});
