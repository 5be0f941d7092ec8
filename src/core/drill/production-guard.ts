import { GridctlError } from '../errors.js';
import type { GridctlConfig } from '../config/schema.js';
import type { ConnectionSpec } from '../redis/spec.js';

/**
 * A drill that changes a live server refuses production unless told otherwise: gridctl.yaml says
 * `profile: production` (and the connection is not a local `gridctl up` run dir), or the target's
 * name says prod.
 */
export function productionReason(config: GridctlConfig, spec: ConnectionSpec, target: string | undefined): string | undefined {
  if (target && /prod/i.test(target)) return `the target is named "${target}"`;
  const local = spec.source.startsWith('gridctl up state') || spec.source.startsWith('--run-dir');
  if (config.profile === 'production' && !local) return 'gridctl.yaml has profile: production';
  return undefined;
}

export function refuseProduction(reason: string | undefined, allowed: boolean, what: string): void {
  if (reason && !allowed) {
    throw new GridctlError('USAGE', `refusing to ${what} on a production deployment (${reason})`, {
      hint: 'rehearse on staging first; to run it on production anyway, add --i-know-this-is-production (and --yes, or answer the prompt)',
    });
  }
}
