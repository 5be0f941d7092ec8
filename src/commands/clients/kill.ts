import { defineCommand } from '../define-command.js';
import { confirmChange } from '../confirm-change.js';
import { clientsKillOptions } from './options.js';
import { applyKill, planKill, type KillRequest } from '../../core/clients/kill.js';
import type { KillReport } from '../../core/clients/types.js';
import { renderKill } from '../../ui/views/clients-view.js';

/** `gridctl clients kill --idle D`: the connections listed, confirmed, then closed one by one (re-checked first). */
export default defineCommand({
  options: clientsKillOptions,
  async run(flags, ctx): Promise<KillReport> {
    const req: KillRequest = { idleSeconds: Math.floor(flags.idle / 1000), ...(flags.clientUser ? { user: flags.clientUser } : {}), ...(flags.addr ? { addr: flags.addr } : {}) };
    const dep = await ctx.openDeployment();
    try {
      const plan = await planKill(dep, req);
      const dryRun = Boolean(flags.dryRun);
      if (dryRun || plan.targets.length === 0) return { ...plan, dryRun, killed: [], skipped: [] };
      const nodes = new Set(plan.targets.map((t) => t.node)).size;
      await confirmChange(ctx, `Close ${plan.targets.length} connection(s) idle >= ${req.idleSeconds}s on ${nodes} node(s)?`, 'kill client connections');
      return { ...plan, dryRun, ...(await applyKill(dep, req, plan.targets)) };
    } finally {
      await dep.close();
    }
  },
  render: (report, out) => renderKill(report, out),
});
