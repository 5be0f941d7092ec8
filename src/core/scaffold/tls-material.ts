import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdir, readFile, rename, rm, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { createCa, issueCert, type CertificateAuthority } from '../tls/pki.js';
import type { DeploymentModel } from './model.js';
import { serverSans } from './render.js';

/**
 * The deployment's own CA (TLS012) and the certificates it signs, made with openssl through
 * src/core/tls/pki.ts. Existing material is kept on re-runs while it still fits: same CA, the
 * SANs the model asks for, more than 30 days left. Private keys are 0600.
 */
const TLS_DIR = 'tls';
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export interface LeafSpec {
  name: string;
  commonName: string;
  sans: string[];
  usage: 'both' | 'client';
}

export interface TlsItem {
  /** Stem in tls/: ca, redis-1, app, … */
  name: string;
  action: 'create' | 'overwrite' | 'unchanged';
  reason?: string;
  leaf?: LeafSpec;
}

/** Which certificates the model needs: one per process (server and client use), app and gridctl clients. */
function leafSpecs(model: DeploymentModel): LeafSpec[] {
  const procs = [...model.nodes, ...model.sentinels].map<LeafSpec>((p) => ({
    name: p.name,
    commonName: `${p.name}.${model.name}`,
    sans: serverSans(model, p),
    usage: 'both',
  }));
  return [
    ...procs,
    { name: 'app', commonName: `${model.users.app}.${model.name}`, sans: [], usage: 'client' },
    { name: 'gridctl', commonName: `gridctl.${model.name}`, sans: [], usage: 'client' },
  ];
}

async function readCert(file: string): Promise<X509Certificate | undefined> {
  try {
    return new X509Certificate(await readFile(file));
  } catch {
    return undefined;
  }
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

function sanSet(cert: X509Certificate): string[] {
  return canonicalSans(
    (cert.subjectAltName ?? '')
      .split(',')
      .map((s) => s.trim().replace(/^(DNS|IP Address):/, ''))
      .filter(Boolean),
  );
}

/** Sorted, with IPv6 addresses in one spelling (certificates print ::1 as 0:0:0:0:0:0:0:1). */
function canonicalSans(sans: string[]): string[] {
  return sans.map((s) => (isIP(s) === 6 ? expandIPv6(s) : s.toLowerCase())).sort();
}

function expandIPv6(ip: string): string {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** Decide what to do with each piece of TLS material, without writing anything. */
export async function planTls(outDir: string, model: DeploymentModel): Promise<TlsItem[]> {
  if (!model.tls.enabled) return [];
  const dir = path.join(outDir, TLS_DIR);
  const items: TlsItem[] = [];
  const ca = await readCert(path.join(dir, 'ca.crt'));
  const caKey = await exists(path.join(dir, 'ca.key'));
  const caOk = Boolean(ca && caKey && ca.ca && Date.parse(ca.validTo) - Date.now() > RENEW_BEFORE_MS);
  items.push(caOk ? { name: 'ca', action: 'unchanged' } : { name: 'ca', action: ca ? 'overwrite' : 'create', reason: ca ? 'CA missing its key or expiring' : 'new CA' });
  for (const leaf of leafSpecs(model)) {
    const cert = await readCert(path.join(dir, `${leaf.name}.crt`));
    const key = await exists(path.join(dir, `${leaf.name}.key`));
    let reason: string | undefined;
    if (!cert || !key) reason = cert ? 'key missing' : undefined;
    else if (!caOk || !ca || !cert.checkIssued(ca) || !cert.verify(ca.publicKey)) reason = 'new CA';
    else if (sanSet(cert).join(',') !== canonicalSans(leaf.sans).join(',')) reason = 'host names or IPs changed';
    else if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) reason = 'expires within 30 days';
    if (!cert) items.push({ name: leaf.name, action: 'create', leaf });
    else if (reason) items.push({ name: leaf.name, action: 'overwrite', reason, leaf });
    else items.push({ name: leaf.name, action: 'unchanged', leaf });
  }
  return items;
}

/**
 * Make what the plan says, in a staging directory inside tls/, then move each file into place,
 * so an openssl failure half-way never leaves a key without its certificate.
 */
export async function applyTls(outDir: string, model: DeploymentModel, items: TlsItem[]): Promise<void> {
  const todo = items.filter((i) => i.action !== 'unchanged');
  if (!todo.length) return;
  const dir = path.join(outDir, TLS_DIR);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const staging = await mkdtemp(path.join(dir, '.staging-'));
  try {
    const moves: string[] = [];
    let ca: CertificateAuthority = { certFile: path.join(dir, 'ca.crt'), keyFile: path.join(dir, 'ca.key') };
    if (todo.some((i) => i.name === 'ca')) {
      ca = await createCa(staging, { commonName: `${model.name} Redis CA (gridctl)`, days: 3650 });
      moves.push('ca.crt', 'ca.key');
    }
    for (const item of todo) {
      if (!item.leaf) continue;
      await issueCert(ca, staging, { name: item.leaf.name, commonName: item.leaf.commonName, sans: item.leaf.sans, usage: item.leaf.usage, days: model.tls.days });
      moves.push(`${item.leaf.name}.crt`, `${item.leaf.name}.key`);
    }
    // The CA last: until it is in place the old leaves still match the old CA.
    const ordered = [...moves.filter((f) => !f.startsWith('ca.')), ...moves.filter((f) => f.startsWith('ca.'))];
    for (const f of ordered) await rename(path.join(staging, f), path.join(dir, f));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
