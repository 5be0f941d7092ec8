import { compareLive, readLive } from './live.js';
import type { ServerUnit } from './model.js';
import type { LiveSummary } from './report.js';
import type { Finding } from './types.js';
import type { TargetVersion } from './versions/directives.js';
import type { Coverage } from '../redis/coverage.js';
import type { Deployment } from '../redis/deployment.js';

export interface LiveCheck {
  findings: Finding[];
  live: LiveSummary;
  coverage: Coverage;
  /** Commands the ACL user may not run; the comparisons that need them were skipped. */
  denied: string[];
}

/** `check --live`: the running config of the deployment's first master against the checked file that describes it. */
export async function liveCheck(deployment: Deployment, servers: ServerUnit[], version: TargetVersion): Promise<LiveCheck> {
  const [master] = await deployment.masterClients();
  const snap = await readLive(master!.client);
  const server = describedServer(servers, Number(snap.config.get('port') ?? 0), Number(snap.config.get('tls-port') ?? 0));
  const { findings, summary } = compareLive(server, snap, master!.address, version);
  return { findings, live: summary, coverage: await deployment.coverage([master!.address]), denied: snap.denied };
}

/** The redis.conf whose port (or TLS port) is the server's, else the first one checked. */
function describedServer(servers: ServerUnit[], port: number, tlsPort: number): ServerUnit | undefined {
  const redis = servers.filter((s) => s.kind === 'redis');
  return redis.find((s) => (port && s.eff.port() === port) || (tlsPort && s.eff.tlsPort() === tlsPort)) ?? redis[0];
}
