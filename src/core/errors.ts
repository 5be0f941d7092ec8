import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { maskSecrets } from './mask.js';

/** Stable machine-readable error codes; `--json` consumers match on these, not on messages. */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'TOOL_MISSING'
  | 'CANCELLED'
  | 'CONFIRMATION_REQUIRED'
  | 'AUTH_FAILED'
  | 'PERMISSION_DENIED'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_TIMEOUT'
  | 'HOST_NOT_FOUND'
  | 'TLS_FAILED'
  | 'UNREACHABLE'
  | 'INTEGRITY'
  | 'OPERATION_FAILED'
  | 'LOCKED'
  | 'LOCK_LOST'
  | 'NOT_FOUND';

const DEFAULT_EXIT: Record<ErrorCode, ExitCodeValue> = {
  USAGE: ExitCode.USAGE,
  CONFIG_INVALID: ExitCode.USAGE,
  CONFIG_NOT_FOUND: ExitCode.USAGE,
  TOOL_MISSING: ExitCode.USAGE,
  CANCELLED: ExitCode.CANCELLED,
  CONFIRMATION_REQUIRED: ExitCode.USAGE,
  AUTH_FAILED: ExitCode.AUTH,
  PERMISSION_DENIED: ExitCode.AUTH,
  CONNECTION_REFUSED: ExitCode.UNREACHABLE,
  CONNECTION_TIMEOUT: ExitCode.UNREACHABLE,
  HOST_NOT_FOUND: ExitCode.UNREACHABLE,
  TLS_FAILED: ExitCode.UNREACHABLE,
  UNREACHABLE: ExitCode.UNREACHABLE,
  INTEGRITY: ExitCode.INTEGRITY,
  OPERATION_FAILED: ExitCode.FINDINGS,
  LOCKED: ExitCode.FINDINGS,
  LOCK_LOST: ExitCode.FINDINGS,
  NOT_FOUND: ExitCode.FINDINGS,
};

export interface GridctlErrorOptions {
  hint?: string;
  cause?: unknown;
  exitCode?: ExitCodeValue;
  /** Where in a file the problem is, for config and lint errors; `text` is that line. */
  location?: { file?: string; line?: number; column?: number; text?: string };
  details?: Record<string, unknown>;
}

/**
 * The one error type gridctl throws on purpose. Core code throws it; only main.ts turns it into
 * a message and an exit code. Messages and hints are masked so a secret never reaches output.
 */
export class GridctlError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCodeValue;
  readonly hint: string | undefined;
  readonly location: GridctlErrorOptions['location'];
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: GridctlErrorOptions = {}) {
    super(maskSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GridctlError';
    this.code = code;
    this.exitCode = options.exitCode ?? DEFAULT_EXIT[code];
    this.hint = options.hint === undefined ? undefined : maskSecrets(options.hint);
    this.location = options.location;
    this.details = options.details;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { code: this.code, exitCode: this.exitCode, message: this.message };
    if (this.hint) out.hint = this.hint;
    if (this.location) out.location = this.location;
    if (this.details) out.details = this.details;
    const cause = this.cause;
    if (cause instanceof Error) out.cause = maskSecrets(cause.message);
    return out;
  }
}

export function isGridctlError(value: unknown): value is GridctlError {
  return value instanceof GridctlError;
}

export function usageError(message: string, hint?: string): GridctlError {
  return new GridctlError('USAGE', message, hint === undefined ? {} : { hint });
}
