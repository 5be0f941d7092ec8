import type { Directive, ParsedConf } from './conf.js';
import type { AclFileResult, AclUser } from './acl.js';
import { parseMemory } from './tokenize.js';

/** What a server file leaves in effect: last-one-wins lookups plus the accumulating directives. */
export class EffectiveConfig {
  private readonly last = new Map<string, Directive>();
  private readonly all = new Map<string, Directive[]>();

  constructor(readonly directives: Directive[]) {
    for (const d of directives) {
      this.last.set(d.key, d);
      const list = this.all.get(d.key) ?? [];
      list.push(d);
      this.all.set(d.key, list);
    }
  }

  /** The directive that wins (the last one), if any. */
  get(key: string): Directive | undefined {
    return this.last.get(key);
  }

  /** The single value of the winning line, lower-cased for comparisons when asked. */
  value(key: string, lower = true): string | undefined {
    const v = this.last.get(key)?.args[0];
    return v === undefined ? undefined : lower ? v.toLowerCase() : v;
  }

  has(key: string): boolean {
    return this.last.has(key);
  }

  /** Every line of an accumulating directive (user, sentinel, rename-command, ...). */
  lines(key: string): Directive[] {
    return this.all.get(key) ?? [];
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.value(key);
    return v === undefined ? fallback : v === 'yes';
  }

  int(key: string, fallback: number): number {
    const v = this.value(key);
    if (v === undefined) return fallback;
    const n = parseMemory(v);
    return n === undefined ? fallback : n;
  }

  /** RDB save points in effect: the compiled default (3600 1 300 100 60 10000) unless a save line exists. */
  saveEnabled(): boolean {
    const lines = this.lines('save');
    if (lines.length === 0) return true;
    let points = 0;
    for (const d of lines) {
      const args = d.args.length === 1 ? d.args[0]!.split(/\s+/).filter(Boolean) : d.args;
      if (args.length === 0) points = 0;
      else points += args.length / 2;
    }
    return points > 0;
  }

  /** The bind list in effect: the last line replaces earlier ones; absent = `* -::*`. */
  bindAddresses(): { addresses: string[]; line?: Directive } {
    const d = this.get('bind');
    if (!d) return { addresses: ['*', '-::*'] };
    const args = d.args.length === 1 ? d.args[0]!.split(/\s+/).filter(Boolean) : d.args;
    return { addresses: args, line: d };
  }

  /** Listening TCP port, 0 = plaintext off. */
  port(): number {
    return this.int('port', 6379);
  }

  tlsPort(): number {
    return this.int('tls-port', 0);
  }

  tlsInUse(): boolean {
    return this.tlsPort() > 0 || this.bool('tls-replication', false) || this.bool('tls-cluster', false);
  }
}

export type ServerKind = 'redis' | 'sentinel';

/** A user of a server, and where it was defined (inline in the conf, or in its aclfile). */
export interface ServerUsers {
  source: 'inline' | 'aclfile' | 'none';
  users: AclUser[];
  /** The effective `default` user, after requirepass / inline / aclfile semantics. */
  defaultUser: { enabled: boolean; nopass: boolean; viaRequirepass: boolean; file: string; line: number };
}

export interface ServerUnit {
  kind: ServerKind;
  conf: ParsedConf;
  eff: EffectiveConfig;
  users: ServerUsers;
  /** The aclfile this server loads, when it has one. */
  aclFile?: { path: string; result?: AclFileResult; missing?: boolean; line: number; file: string };
  /** Errors in inline `user` lines (applied with ACLSetUser semantics). */
  inlineErrors?: Array<{ at: { file: string; line: number }; kind: string; message: string }>;
  /** Deployed path prefixes -> checked tree (see LintContext.pathMap). */
  pathMap?: Array<{ from: string; to: string }>;
  /** store / cache, from gridctl.yaml or inferred; undefined when unknown. */
  profile: 'store' | 'cache' | undefined;
}

export interface AclUnit {
  file: string;
  result: AclFileResult;
  /** Loaded by one of the checked servers (then its rules are checked in that server's context). */
  usedBy: ServerUnit[];
}
