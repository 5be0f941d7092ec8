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

/**
 * scheme://userinfo@ in text. The userinfo runs to the LAST @ before the next `://` or blank, so a
 * password holding `/ @ : % #` (typed raw, as operators do) is taken whole; its user ends at the
 * first `:`. One pattern for printed text and for URLs before they are parsed (urlUserinfo).
 */
const URL_USERINFO = /\b(rediss?|redis\+sentinel|rediss\+sentinel|https?):\/\/((?:(?!:\/\/)[^\s"'<>`])*)@/gi;

/** The user and password of a URL-like string, as typed (not percent-decoded); undefined without a userinfo. */
export function urlUserinfo(raw: string): { user: string; password: string | undefined } | undefined {
  const m = new RegExp(`^${URL_USERINFO.source}`, 'i').exec(raw);
  if (!m) return undefined;
  const info = m[2]!;
  const colon = info.indexOf(':');
  return colon < 0 ? { user: info, password: undefined } : { user: info.slice(0, colon), password: info.slice(colon + 1) };
}

/**
 * Register the password of a URL as a secret before anything tries to parse it, so that even a URL
 * that does not parse never has its password printed: as typed, and percent-decoded when it decodes.
 */
export function registerUrlSecrets(raw: string): void {
  const password = urlUserinfo(raw.trim())?.password;
  if (!password) return;
  registerSecret(password);
  try {
    registerSecret(decodeURIComponent(password));
  } catch {
    // a % not followed by two hex digits: the URL is refused when parsed; the raw form is registered
  }
}

// The AUTH command as Redis logs and errors spell it (upper case): `auth` in prose is an ordinary word.
const AUTH_ARGS = /\b(AUTH|HELLO\s+\d+\s+AUTH)\s+(\S+)\s+(\S+)/g;
// key=value, "key": "value" and `key: value` (a colon needs a space or a quote after it, so Redis key
// names such as token:balance:{wallet} are not mistaken for secrets).
const KEY_VALUE = /\b(password|passwd|pass|requirepass|masterauth|auth-pass|secret|token)((?:["']?\s*=\s*["']?)|(?:["']\s*:\s*["']?)|(?::\s+["']?))([^\s"',}]+)/gi;

export function maskSecrets(text: string): string {
  let out = text;
  // Registered values first: they are exact, and a password with a blank or a quote in it is only
  // found this way (the patterns below stop at those).
  for (const secret of registered) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  out = out.replace(URL_USERINFO, (m, scheme: string, info: string) => {
    const colon = info.indexOf(':');
    return colon < 0 ? m : `${scheme}://${info.slice(0, colon)}:***@`;
  });
  out = out.replace(AUTH_ARGS, (_m, cmd: string, a: string) => `${cmd} ${a} ***`);
  out = out.replace(KEY_VALUE, (_m, key: string, sep: string) => `${key}${sep}***`);
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
