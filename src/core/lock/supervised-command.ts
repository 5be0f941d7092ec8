import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { supervisorProgram } from './supervisor.js';

/** How the locked command ended: its code, or the signal that killed it. */
export interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SupervisedCommand {
  /** Signal the command's whole process group (the command and everything it started). */
  signal(signal: NodeJS.Signals): void;
  /** Tell the watchdog when the lock's last proven validity ends (its SIGKILL deadline if gridctl dies). */
  validUntil(epochMs: number): void;
  /** The command's exit; rejects with the spawn error (ENOENT, EACCES) when it could not start. */
  exited: Promise<CommandExit>;
}

/** What the watchdog reports on the control socket (supervisor.ts). */
interface WatchdogStatus {
  pid?: number;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  error?: string;
  message?: string;
}

function parseLine(line: string): WatchdogStatus | undefined {
  try {
    return JSON.parse(line) as WatchdogStatus;
  } catch {
    return undefined;
  }
}

/**
 * Start COMMAND under the watchdog (supervisor.ts) in a process group of its own, which dies with
 * gridctl: on gridctl's exit, even by SIGKILL, the watchdog stops the group (SIGTERM, then SIGKILL
 * after `graceMs` or before the lock's validity ends).
 */
export function startSupervised(command: string[], env: NodeJS.ProcessEnv, graceMs: number): SupervisedCommand {
  const watchdog = spawn(process.execPath, ['-e', supervisorProgram(graceMs), '--', ...command], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    detached: true,
    env,
  });
  const control = watchdog.stdio[3] as Socket;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (watchdog.pid === undefined) return;
    try {
      process.kill(-watchdog.pid, signal);
    } catch {
      // The group is already empty.
    }
  };

  const exited = new Promise<CommandExit>((resolve, reject) => {
    let status: WatchdogStatus | undefined;
    let buffered = '';
    control.setEncoding('utf8');
    control.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const message = parseLine(line);
        if (message && message.pid === undefined) status = message;
      }
    });
    control.on('error', () => undefined);
    watchdog.once('error', reject);
    // 'close', not 'exit': the status line on the control socket has been read by then.
    watchdog.once('close', (code, signal) => {
      if (status?.error) return reject(Object.assign(new Error(status.message ?? status.error), { code: status.error }));
      if (status) return resolve({ code: status.code ?? null, signal: status.signal ?? null });
      // The watchdog itself was killed: nothing of the group may outlive it unsupervised.
      signalGroup('SIGKILL');
      resolve({ code, signal });
    });
  });

  return {
    signal: signalGroup,
    validUntil: (epochMs) => {
      if (!control.destroyed) control.write(JSON.stringify({ validUntil: epochMs }) + '\n');
    },
    exited,
  };
}
