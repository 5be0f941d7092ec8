/**
 * The exit codes every gridctl command uses (DESIGN.md). Scripts and cron jobs branch on these,
 * so they are part of the public interface: never renumber.
 */
export const ExitCode = {
  OK: 0,
  FINDINGS: 1,
  CANCELLED: 2,
  USAGE: 3,
  AUTH: 4,
  UNREACHABLE: 5,
  INTEGRITY: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_DOCS: ReadonlyArray<{ code: ExitCodeValue; name: string; meaning: string }> = [
  { code: 0, name: 'ok', meaning: 'success; nothing to report' },
  { code: 1, name: 'findings', meaning: 'findings, unhealthy, or the operation failed' },
  { code: 2, name: 'cancelled', meaning: 'cancelled or declined (a prompt answered no, Ctrl-C)' },
  { code: 3, name: 'usage', meaning: 'usage or configuration error (bad flag, bad gridctl.yaml, missing tool)' },
  { code: 4, name: 'auth', meaning: 'authentication or permission denied (WRONGPASS, NOAUTH, NOPERM)' },
  { code: 5, name: 'unreachable', meaning: 'unreachable or timed out (refused, DNS, TLS handshake, timeout)' },
  { code: 6, name: 'integrity', meaning: 'data integrity error (corrupt backup, checksum mismatch)' },
];
