import { defineCommand } from '../define-command.js';
import { confirmChange } from '../confirm-change.js';
import { streamClaimOptions } from './options.js';
import { applyClaim, planClaim, type ClaimReport, type ClaimRequest } from '../../core/stream/claim.js';
import { formatDuration } from '../../core/duration.js';
import { renderClaim } from '../../ui/views/stream-repair-view.js';

/** `gridctl stream claim STREAM GROUP --to C --min-idle D`: the plan, a confirmation, then XAUTOCLAIM. */
export default defineCommand({
  options: streamClaimOptions,
  async run(flags, ctx): Promise<ClaimReport> {
    const req: ClaimRequest = { stream: flags.stream, group: flags.group, consumer: flags.to, minIdleMs: flags.minIdle, limit: flags.limit };
    const dep = await ctx.openDeployment();
    try {
      const plan = await planClaim(dep, req);
      const dryRun = Boolean(flags.dryRun);
      if (dryRun || plan.candidates.length === 0) return { ...plan, dryRun, claimed: [], deletedFromPel: [] };
      const from = [...new Set(plan.candidates.map((e) => e.consumer))].join(', ');
      await confirmChange(ctx, `Claim ${plan.candidates.length} pending entries of ${req.group} on ${req.stream} (idle >= ${formatDuration(req.minIdleMs)}, from ${from}) for ${req.consumer}?`, `claim pending entries of ${req.stream}`);
      return { ...plan, dryRun, ...(await applyClaim(dep, req)) };
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderClaim(report, out),
});
