import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { FileKind, RenderedFile } from './render.js';
import { PUBLIC_MODE } from './render.js';
import type { TlsItem } from './tls-material.js';

/**
 * The plan: what init would do to each file (create | overwrite | unchanged), decided before
 * anything is written. A file whose bytes differ from what gridctl last wrote there (recorded in
 * the manifest) was edited by someone: it is `blocked` unless --force.
 */
export type PlanAction = 'create' | 'overwrite' | 'unchanged';

export interface PlanEntry {
  path: string;
  action: PlanAction;
  kind: FileKind | 'tls';
  mode: string;
  /** Why it is overwritten (model changed, edited by hand, mode, …). */
  reason?: string;
  /** Would overwrite a file changed outside gridctl; needs --force. */
  blocked?: boolean;
}

export interface ScaffoldPlan {
  outDir: string;
  entries: PlanEntry[];
  summary: Record<PlanAction, number> & { blocked: number };
}

/** Hashes of what gridctl last wrote, so a re-render can tell a model change from a hand edit. */
const MANIFEST_FILE = '.gridctl-scaffold.json';

interface Manifest {
  generatedBy: 'gridctl init';
  files: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

async function readManifest(outDir: string): Promise<Manifest['files']> {
  try {
    const m = JSON.parse(await readFile(path.join(outDir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m.files ?? {};
  } catch {
    return {};
  }
}

async function readExisting(file: string): Promise<{ data: Buffer; mode: number } | undefined> {
  try {
    const [data, st] = await Promise.all([readFile(file), stat(file)]);
    return { data, mode: st.mode & 0o777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** .gitignore may already exist (init inside a repository): add the missing lines, keep the rest. */
async function mergeGitignore(outDir: string, f: RenderedFile): Promise<RenderedFile> {
  const existing = await readExisting(path.join(outDir, f.path));
  if (!existing) return f;
  const have = new Set(existing.data.toString('utf8').split('\n').map((l) => l.trim()));
  const needed = f.content.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  const text = existing.data.toString('utf8');
  if (needed.every((l) => have.has(l.trim()))) return { ...f, content: text, mode: existing.mode };
  return { ...f, content: `${text}${text.endsWith('\n') ? '' : '\n'}\n${f.content}`, mode: existing.mode };
}

export interface PlannedScaffold {
  plan: ScaffoldPlan;
  /** The files to write (gitignore merged, manifest added). */
  files: RenderedFile[];
}

export async function buildPlan(outDir: string, rendered: RenderedFile[], tls: TlsItem[], opts: { force: boolean }): Promise<PlannedScaffold> {
  const manifest = await readManifest(outDir);
  const files: RenderedFile[] = [];
  for (const f of rendered) files.push(f.path === '.gitignore' ? await mergeGitignore(outDir, f) : f);
  // gridctl.yaml is the operator's file, not a rendering: it is never recorded, so a fresh init
  // never replaces an existing one without --force (and `--from` leaves it alone).
  const recorded = files.filter((f) => f.kind !== 'model');
  const record: Manifest = { generatedBy: 'gridctl init', files: Object.fromEntries(recorded.map((f) => [f.path, sha256(f.content)]).sort(([a], [b]) => a!.localeCompare(b!))) };
  files.push({ path: MANIFEST_FILE, content: JSON.stringify(record, null, 2) + '\n', mode: PUBLIC_MODE, kind: 'model' });

  const entries: PlanEntry[] = [];
  for (const f of files) {
    const existing = await readExisting(path.join(outDir, f.path));
    const entry: PlanEntry = { path: f.path, action: 'create', kind: f.kind, mode: octal(f.mode) };
    if (existing) {
      const same = existing.data.equals(Buffer.from(f.content, 'utf8'));
      if (same && existing.mode === f.mode) entry.action = 'unchanged';
      else {
        entry.action = 'overwrite';
        if (same) entry.reason = `mode ${octal(existing.mode)} -> ${octal(f.mode)}`;
        else if (f.path === MANIFEST_FILE) entry.reason = 'files changed';
        else if (manifest[f.path] === sha256(existing.data)) entry.reason = f.kind === 'secret' ? 'secret rotated' : 'gridctl.yaml changed';
        else {
          entry.reason = f.stateful ? 'rewritten by the running server since gridctl wrote it' : 'changed since gridctl wrote it';
          if (!opts.force) entry.blocked = true;
        }
      }
    }
    entries.push(entry);
  }
  for (const t of tls) {
    for (const ext of ['crt', 'key']) {
      entries.push({
        path: `tls/${t.name}.${ext}`,
        action: t.action,
        kind: 'tls',
        mode: ext === 'key' ? '0600' : '0644',
        ...(t.reason ? { reason: t.reason } : {}),
      });
    }
  }
  entries.sort((a, b) => a.path.localeCompare(b.path));
  const summary = { create: 0, overwrite: 0, unchanged: 0, blocked: 0 };
  for (const e of entries) {
    summary[e.action]++;
    if (e.blocked) summary.blocked++;
  }
  return { plan: { outDir, entries, summary }, files };
}

/**
 * The single write point of `gridctl init`: with dryRun nothing is written. Refuses as a whole
 * (nothing written) when any file is blocked. Each file is written atomically with its mode.
 */
export async function applyPlan(planned: PlannedScaffold, opts: { dryRun: boolean; writeTls: () => Promise<void> }): Promise<void> {
  const { plan, files } = planned;
  if (opts.dryRun) return;
  const blocked = plan.entries.filter((e) => e.blocked);
  if (blocked.length) {
    throw new GridctlError('USAGE', `${blocked.length} file${blocked.length > 1 ? 's were' : ' was'} changed since gridctl wrote ${blocked.length > 1 ? 'them' : 'it'}: ${blocked.map((b) => b.path).join(', ')}`, {
      hint: 'nothing was written; review with --dry-run, then re-run with --force to overwrite (a running sentinel rewrites its file: never overwrite that copy)',
      details: { blocked: blocked.map((b) => b.path) },
    });
  }
  await mkdir(plan.outDir, { recursive: true });
  await mkdir(path.join(plan.outDir, 'secrets'), { recursive: true, mode: 0o700 });
  await chmod(path.join(plan.outDir, 'secrets'), 0o700);
  const byPath = new Map(plan.entries.map((e) => [e.path, e]));
  // Secrets and configs first, the manifest last: an interrupted run is re-planned from the files.
  for (const f of files) {
    if (f.path === MANIFEST_FILE) continue;
    const e = byPath.get(f.path)!;
    if (e.action === 'unchanged') continue;
    await writeFileAtomic(path.join(plan.outDir, f.path), f.content, { mode: f.mode });
  }
  await opts.writeTls();
  const manifest = files.find((f) => f.path === MANIFEST_FILE)!;
  if (byPath.get(MANIFEST_FILE)!.action !== 'unchanged') await writeFileAtomic(path.join(plan.outDir, MANIFEST_FILE), manifest.content, { mode: manifest.mode });
}
