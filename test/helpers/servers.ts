import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The one reader of GRIDCTL_TEST_SERVERS: a comma-separated list of folders, each holding a
 * server build (redis-server or valkey-server, its sentinel, check-rdb and cli). Every server is
 * named by what its binary reports (`redis-7.4.1`, `valkey-8.0.1`), never by its folder. Without
 * the variable the list is the redis-server on PATH (Debian's 7.0 in CI).
 */
export interface TestServer {
  /** engine-version, as the binary reports it: `redis-7.2.6`, `valkey-8.0.1`. */
  name: string;
  engine: 'redis' | 'valkey';
  version: string;
  server: string;
  sentinel: string;
  checkRdb: string;
  cli: string;
  /** The folder the binaries are in (prepend it to PATH to make gridctl's own lookups find them). */
  dir: string;
}

export const TEST_SERVERS_ENV = 'GRIDCTL_TEST_SERVERS';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of redis-<tool> / valkey-<tool> in dir. */
function tool(dir: string, name: string): string | undefined {
  return [`redis-${name}`, `valkey-${name}`].map((b) => path.join(dir, b)).find(executable);
}

/** Describe the build in one folder; throws naming the folder when it holds no server. */
export function describeServer(dir: string): TestServer {
  const server = tool(dir, 'server');
  if (!server) throw new Error(`${TEST_SERVERS_ENV}: ${dir} holds neither redis-server nor valkey-server`);
  const out = execFileSync(server, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const m = /^(Redis|Valkey) server v=(\S+)/.exec(out);
  if (!m) throw new Error(`${server} --version said "${out.trim()}", not "Redis|Valkey server v=..."`);
  const engine = m[1]!.toLowerCase() as TestServer['engine'];
  const missing = (n: string) => path.join(dir, `${engine}-${n}`);
  return {
    name: `${engine}-${m[2]}`,
    engine,
    version: m[2]!,
    server,
    sentinel: tool(dir, 'sentinel') ?? missing('sentinel'),
    checkRdb: tool(dir, 'check-rdb') ?? missing('check-rdb'),
    cli: tool(dir, 'cli') ?? missing('cli'),
    dir,
  };
}

function folderOf(p: string): string {
  return /(redis|valkey)-server$/.test(p) ? path.dirname(p) : p;
}

/** The server binary of the build named `name` (`valkey-8.0.1`) in GRIDCTL_TEST_SERVERS, or undefined. */
export function testServer(name: string): string | undefined {
  return process.env[TEST_SERVERS_ENV] ? testServers().find((s) => s.name === name)?.server : undefined;
}

function onPath(): string | undefined {
  for (const d of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) if (tool(d, 'server')) return d;
  return undefined;
}

/** The servers to run version-sensitive suites on: the variable's folders, else the one on PATH (may be empty). */
export function testServers(env: NodeJS.ProcessEnv = process.env): TestServer[] {
  // An entry is a folder, or name=path (a folder or the server binary itself); the name is always what the binary reports.
  const list = env[TEST_SERVERS_ENV]?.split(',').map((s) => s.trim().replace(/^[^=/]+=/, '')).filter(Boolean);
  if (list?.length) return list.map((d) => describeServer(folderOf(path.resolve(d))));
  const dir = onPath();
  return dir ? [describeServer(dir)] : [];
}

/** major*100+minor of a server's version (8.0.0 -> 800), to gate assertions on features. */
export function versionNumber(s: TestServer): number {
  const [maj = 0, min = 0] = s.version.split('.').map(Number);
  return maj * 100 + min;
}

/** Redis 7.4+ (and its 7.9.x 8.0 milestones): hash-field expiry (HEXPIRE) exists. Valkey 8 has none. */
export function hasHashFieldTtl(s: TestServer): boolean {
  return s.engine === 'redis' && versionNumber(s) >= 704;
}

/** The `init --server-version` choice a build stands for, if gridctl has one (Valkey 8's unstable branch renders as valkey-8). */
export function serverVersionChoice<V extends string>(s: TestServer, choices: readonly V[]): V | undefined {
  const [maj = 0, min = 0] = s.version.split('.').map(Number);
  const want = s.engine === 'valkey' ? `valkey-${maj === 255 ? 8 : maj}` : maj === 7 && min === 9 ? '8.0' : `${maj}.${min}`;
  return choices.find((c) => c === want);
}
