import { defineCommand } from '../define-command.js';
import { clientsOptions } from './options.js';
import { DEFAULT_POOL_SIZE, summarizeClients } from '../../core/clients/summary.js';
import { resolveSlo } from '../../core/config/defaults.js';
import type { ClientsReport } from '../../core/clients/types.js';
import { renderClients } from '../../ui/views/clients-view.js';

/** `gridctl clients`: connections grouped across every node; maxclients or pool-size findings exit 1. */
export default defineCommand({
  options: clientsOptions,
  async run(flags, ctx): Promise<ClientsReport> {
    const { config } = await ctx.loadConfig();
    const dep = await ctx.openDeployment();
    try {
      return await summarizeClients(dep, {
        by: flags.by,
        poolSize: flags.poolSize ?? config.clients?.poolSize ?? DEFAULT_POOL_SIZE,
        clientsPercent: resolveSlo(config.slo).clientsPercent,
      });
    } finally {
      await dep.close();
    }
  },
  render: (report, out, flags) => renderClients(report, out, flags.format),
  verdict: (report) => (report.findings.length ? 1 : 0),
});
