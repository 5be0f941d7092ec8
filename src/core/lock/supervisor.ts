/**
 * The small process between `gridctl lock run` and the locked command. Node cannot ask the kernel
 * to kill a child when its parent dies (no PR_SET_PDEATHSIG), so this watchdog holds one end of a
 * socket pair whose other end only gridctl holds: when gridctl exits in any way, kill -9 included,
 * the socket closes and the watchdog stops the whole process group before the lock can expire.
 *
 * It leads its own process group (spawned detached) and the command joins it, so a signal to the
 * group reaches the command and everything it started. It runs as `node -e`, from this function's
 * source: it must use nothing but its arguments (no imports, no closures).
 *
 * Control socket (fd 3), one JSON object per line:
 * - gridctl -> watchdog: {"validUntil": epochMs}, the end of the lock's last proven validity;
 * - watchdog -> gridctl: {"pid"} once the command started, then {"code","signal"} or {"error","message"}.
 */
function supervise(req: NodeJS.Require, argv: string[], graceMs: number): void {
  const { spawn } = req('node:child_process') as typeof import('node:child_process');
  const net = req('node:net') as typeof import('node:net');
  const control = new net.Socket({ fd: 3, readable: true, writable: true });
  const group = -process.pid;
  // ps shows this instead of the whole program text.
  process.title = `gridctl lock run watchdog: ${argv.join(' ')}`.slice(0, 200);
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(group, signal);
    } catch {
      // The group is already empty.
    }
  };
  // gridctl signals the whole group (its forwarding, a lost lock): the watchdog outlives them to report.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE'] as const) process.on(s, () => undefined);

  let validUntil = Number.POSITIVE_INFINITY;
  let buffered = '';
  let orphaned = false;
  let finished = false;
  control.setEncoding('utf8');
  control.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const message = JSON.parse(line) as { validUntil?: number };
        if (typeof message.validUntil === 'number') validUntil = message.validUntil;
      } catch {
        // Not ours: ignore.
      }
    }
  });
  const report = (message: object) => {
    if (!orphaned) control.write(JSON.stringify(message) + '\n');
  };
  // gridctl is gone: nobody extends the lock. SIGTERM now, SIGKILL after the grace or just before
  // the last proven validity ends, whichever comes first, so a next holder never overlaps.
  const onOrphaned = () => {
    if (orphaned || finished) return;
    orphaned = true;
    signalGroup('SIGTERM');
    const killIn = Math.max(0, Math.min(graceMs, validUntil - Date.now() - 250));
    setTimeout(() => signalGroup('SIGKILL'), killIn);
  };
  control.on('end', onOrphaned);
  control.on('close', onOrphaned);
  control.on('error', onOrphaned);

  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  child.on('spawn', () => report({ pid: child.pid }));
  child.on('error', (err: NodeJS.ErrnoException) => {
    finished = true;
    report({ error: err.code ?? 'ERROR', message: err.message });
    control.end();
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    // Orphaned, the command is done: end what it left in the group now (this process included).
    if (orphaned) return signalGroup('SIGKILL');
    finished = true;
    // What the command left running in its group would run on without the lock: stop it too.
    signalGroup('SIGTERM');
    report({ code, signal });
    control.end();
  });
}

/** The `node -e` program that runs the watchdog: `node -e PROGRAM -- COMMAND ARGS...`. */
export function supervisorProgram(graceMs: number): string {
  return `(${supervise.toString()})(require, process.argv.slice(1), ${JSON.stringify(graceMs)});`;
}
