/**
 * Secret masking. Every message, log line and JSON document passes through here before it is
 * printed, so a password given in a URL, a flag or the environment never reaches a terminal or log.
 */

const registered = new Set<string>();

/** Remember a secret value so that any later text containing it is masked. */
export function registerSecret(secret: string | undefined | null): void {
  // Very short values would mask ordinary words; real secrets are longer than 3 characters.
  if (secret && secret.length >= 4) registered.add(secret);
}

export function clearRegisteredSecrets(): void {
  registered.clear();
}

const URL_PASSWORD = /\b(rediss?|redis\+sentinel|rediss\+sentinel|https?):\/\/([^:@\/\s]*):([^@\/\s]+)@/gi;
// The AUTH command as Redis logs and errors spell it (upper case): `auth` in prose is an ordinary word.
const AUTH_ARGS = /\b(AUTH|HELLO\s+\d+\s+AUTH)\s+(\S+)\s+(\S+)/g;
// key=value, "key": "value" and `key: value` (a colon needs a space or a quote after it, so Redis key
// names such as token:balance:{wallet} are not mistaken for secrets).
const KEY_VALUE = /\b(password|passwd|pass|requirepass|masterauth|auth-pass|secret|token)((?:["']?\s*=\s*["']?)|(?:["']\s*:\s*["']?)|(?::\s+["']?))([^\s"',}]+)/gi;

export function maskSecrets(text: string): string {
  let out = text.replace(URL_PASSWORD, (_m, scheme: string, user: string) => `${scheme}://${user}:***@`);
  out = out.replace(AUTH_ARGS, (_m, cmd: string, a: string) => `${cmd} ${a} ***`);
  out = out.replace(KEY_VALUE, (_m, key: string, sep: string) => `${key}${sep}***`);
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  return out;
}

/** Mask every string inside a JSON-able value (deeply), for --json output. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Buffer)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = /^(password|pass|secret|requirepass|masterauth)$/i.test(k) && typeof v === 'string' ? '***' : maskDeep(v);
    }
    return out as T;
  }
  return value;
}
