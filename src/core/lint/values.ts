import { splitArgs } from './tokenize.js';
import { MULTI_ARG_DIRECTIVES } from './versions/directives.js';
import type { Directive } from './conf.js';
import type { TargetVersion } from './versions/directives.js';

/**
 * Value checks of the directives Redis validates with its own code rather than a plain type
 * (config.c's special setters and is_valid functions; the same in 7.0, 7.2, 7.4 and Valkey 8,
 * except where a check says otherwise).
 * Each returns Redis' refusal in Redis' words, or undefined when Redis accepts the value.
 */

/**
 * The values a multi-value directive hands its setter: a single non-empty argument is split
 * again with the same quoting rules ("save '900 1 300 10'" works, and so does a quoted comment).
 */
export function multiValues(d: Directive): string[] {
  if (d.args.length === 1 && d.args[0] !== '') return splitArgs(d.args[0]!) ?? [];
  return d.args;
}

/** The values from the first `#...` on, when a multi-value line carries a trailing comment. */
export function trailingComment(d: Directive): string[] | undefined {
  if (!MULTI_ARG_DIRECTIVES.has(d.key)) return undefined;
  const values = multiValues(d);
  const i = values.findIndex((v) => v.startsWith('#'));
  return i < 0 ? undefined : values.slice(i);
}

/** strtoll(v, &end, 10) with *end == '\0': what save and the buffer limits accept as an integer. */
const isStrtoll = (v: string) => v === '' || /^[ \t\n\v\f\r]*[+-]?\d+$/.test(v);
const strtoll = (v: string) => (v.trim() === '' ? 0 : parseInt(v, 10));

const SHUTDOWN_FLAGS = ['default', 'save', 'nosave', 'now', 'force'];
const CLIENT_CLASSES = ['normal', 'slave', 'replica', 'pubsub'];
const KEYSPACE_CLASSES = 'Ag$lshzxeKEtmdn';
/** memtoull: digits and an optional unit; no sign. */
const isMemory = (v: string) => /^\d*(b|k|kb|m|mb|g|gb)?$/i.test(v);

const MULTI_VALUE_CHECKS: Record<string, (values: string[]) => string | undefined> = {
  save(values) {
    if (values.length === 1 && values[0] === '') return undefined;
    if (values.length % 2 !== 0) return 'Invalid save parameters (save takes pairs of <seconds> <changes>, or "" to disable RDB)';
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!isStrtoll(v) || strtoll(v) < (i % 2 === 0 ? 1 : 0)) return `Invalid save parameters ("${v}" is not ${i % 2 === 0 ? 'a number of seconds ≥ 1' : 'a number of changes ≥ 0'})`;
    }
    return undefined;
  },
  bind(values) {
    return values.length > 16 ? `Too many bind addresses specified (${values.length}; at most 16)` : undefined;
  },
  'client-output-buffer-limit'(values) {
    if (values.length % 4 !== 0) return undefined; // CFG002 names the arity
    for (let i = 0; i < values.length; i += 4) {
      const [cls, hard, soft, secs] = values.slice(i, i + 4) as [string, string, string, string];
      if (!CLIENT_CLASSES.includes(cls.toLowerCase())) return `Invalid client class specified in buffer limit configuration ("${cls}"; one of normal, replica, pubsub)`;
      if (!isMemory(hard) || !isMemory(soft) || !isStrtoll(secs) || strtoll(secs) < 0) return `Error in hard, soft or soft_seconds setting in buffer limit configuration (${cls} ${hard} ${soft} ${secs})`;
    }
    return undefined;
  },
  'oom-score-adj-values'(values) {
    if (values.length !== 3) return `oom-score-adj-values takes 3 values (master, replica, background child), got ${values.length}`;
    const bad = values.find((v) => !/^[+-]?\d+$/.test(v) || Math.abs(Number(v)) > 2000);
    return bad === undefined ? undefined : `Invalid oom-score-adj-values, elements must be between -2000 and 2000 ("${bad}")`;
  },
  'latency-tracking-info-percentiles'(values) {
    if (values.length === 1 && values[0] === '') return undefined;
    for (const v of values) {
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v)) return `Invalid latency-tracking-info-percentiles parameters ("${v}")`;
      if (Number(v) < 0 || Number(v) > 100) return `latency-tracking-info-percentiles parameters should sit between [0.0,100.0] ("${v}")`;
    }
    return undefined;
  },
  replicaof(values) {
    if (values.length !== 2) return undefined; // CFG002 names the arity
    if (values[0]!.toLowerCase() === 'no' && values[1]!.toLowerCase() === 'one') return undefined;
    const port = values[1]!;
    return /^[+-]?\d+$/.test(port) && Number(port) >= 0 && Number(port) <= 65535 ? undefined : `Invalid master port "${port}"`;
  },
  'shutdown-on-sigint': shutdownFlags,
  'shutdown-on-sigterm': shutdownFlags,
};

/** Several of default, save, nosave, now, force (any case); save and nosave exclude each other. */
function shutdownFlags(values: string[]): string | undefined {
  const lower = values.map((v) => v.toLowerCase());
  const bad = values.find((v, i) => !SHUTDOWN_FLAGS.includes(lower[i]!));
  if (values.length === 0 || bad !== undefined) return `argument(s) must be one of the following: ${SHUTDOWN_FLAGS.join(', ')}${bad !== undefined ? ` (got "${bad}")` : ''}`;
  if (lower.includes('save') && lower.includes('nosave')) return "shutdown options SAVE and NOSAVE can't be used simultaneously";
  return undefined;
}

const SINGLE_VALUE_CHECKS: Record<string, (v: string, version: TargetVersion) => string | undefined> = {
  'notify-keyspace-events'(v) {
    const bad = [...v].find((ch) => !KEYSPACE_CLASSES.includes(ch));
    return bad === undefined ? undefined : `Invalid event class character "${bad}". Use 'Ag$lshzxeKEtmdn' (case matters: K and E are upper case, the classes lower case)`;
  },
  // Valkey 8 refuses an empty name too (isValidDBfilename); Redis takes it.
  dbfilename: (v, version) => (v === '' && version === 'valkey-8' ? "dbfilename can't be empty" : isBaseName(v) ? undefined : "dbfilename can't be a path, just a filename (put the directory in `dir`)"),
  'cluster-config-file': (v, version) => (v === '' && version === 'valkey-8' ? "cluster-config-file can't be empty" : undefined),
  appendfilename: (v) => (v === '' ? "appendfilename can't be empty" : isBaseName(v) ? undefined : "appendfilename can't be a path, just a filename (the AOF lives in `dir`/`appenddirname`)"),
  appenddirname: (v) => (v === '' ? "appenddirname can't be empty" : isBaseName(v) ? undefined : "appenddirname can't be a path, just a dirname (it is created inside `dir`)"),
  unixsocketperm(v) {
    // strtoll(v, &end, 8) with nothing left over, then 0..0777 as an unsigned number.
    if (v !== '' && !/^[ \t\n\v\f\r]*[+-]?[0-7]+$/.test(v)) return `argument couldn't be parsed as an octal number ("${v}"; write the mode as octal digits, e.g. 770)`;
    const n = v.trim() === '' ? 0 : parseInt(v, 8);
    return n < 0 || n > 0o777 ? 'argument must be between 0 and 777 inclusive' : undefined;
  },
};

/** pathIsBaseName: neither / nor \ anywhere. */
const isBaseName = (v: string) => !v.includes('/') && !v.includes('\\');

/** Redis' refusal of this line's value, for the directives checked here (others: undefined). */
export function invalidValue(d: Directive, version: TargetVersion): string | undefined {
  const multi = MULTI_VALUE_CHECKS[d.key];
  if (multi) return multi(multiValues(d));
  const single = SINGLE_VALUE_CHECKS[d.key];
  return single && d.args.length === 1 ? single(d.args[0]!, version) : undefined;
}
