import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(root, 'bin', 'gridctl.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the built binary (dist/ must be built: `npm test` builds first) the way a user would:
 * no TTY, no colour forced, CI=true, and never rejecting on a non-zero exit.
 */
export async function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: '0', CI: 'true', REDIS_URL: undefined, REDIS_PASSWORD: undefined, GRIDCTL_CONFIG: undefined, ...opts.env };
  const r = await execa(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? root,
    env,
    extendEnv: false,
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' }),
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
