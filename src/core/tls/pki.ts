import { mkdir, chmod, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { GridctlError } from '../errors.js';
import { SECRET_FILE_MODE } from '../fs/atomic-write.js';

/**
 * A small PKI made with the openssl binary (through execa): a CA, and certificates it signs for
 * servers and clients. Used by `gridctl up --tls` (throwaway material) and by `gridctl init`.
 * Private keys are written 0600.
 */
export interface CertificateAuthority {
  certFile: string;
  keyFile: string;
}

export interface IssuedCert {
  certFile: string;
  keyFile: string;
}

export interface IssueOptions {
  /** File name stem, e.g. "redis-1" -> redis-1.crt / redis-1.key */
  name: string;
  commonName: string;
  /** Subject alternative names: IPs and DNS names (auto-detected). */
  sans?: string[];
  /** server, client, or both (Redis uses tls-cert-file as client cert for replication/cluster bus). */
  usage: 'server' | 'client' | 'both';
  days?: number;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const { execa } = await import('execa');
  try {
    await execa('openssl', args, { cwd, stdin: 'ignore' });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; shortMessage?: string };
    if (e.code === 'ENOENT') {
      throw new GridctlError('TOOL_MISSING', 'openssl not found on PATH', { hint: 'install it: apt-get install -y openssl', cause: err });
    }
    throw new GridctlError('OPERATION_FAILED', `openssl ${args[0]} failed: ${(e.stderr ?? e.shortMessage ?? '').split('\n')[0]}`, { cause: err });
  }
}

export async function createCa(dir: string, opts: { commonName: string; days?: number; name?: string }): Promise<CertificateAuthority> {
  await mkdir(dir, { recursive: true });
  const name = opts.name ?? 'ca';
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.crt`);
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], dir);
  await chmod(keyFile, SECRET_FILE_MODE);
  await openssl(
    ['req', '-x509', '-new', '-key', keyFile, '-sha256', '-days', String(opts.days ?? 3650), '-subj', `/CN=${escapeSubject(opts.commonName)}`, '-out', certFile,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    dir,
  );
  return { certFile, keyFile };
}

export async function issueCert(ca: CertificateAuthority, dir: string, opts: IssueOptions): Promise<IssuedCert> {
  await mkdir(dir, { recursive: true });
  const keyFile = path.join(dir, `${opts.name}.key`);
  const certFile = path.join(dir, `${opts.name}.crt`);
  const csrFile = path.join(dir, `${opts.name}.csr`);
  const extFile = path.join(dir, `${opts.name}.ext`);
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile], dir);
  await chmod(keyFile, SECRET_FILE_MODE);
  await openssl(['req', '-new', '-key', keyFile, '-subj', `/CN=${escapeSubject(opts.commonName)}`, '-out', csrFile], dir);
  const eku = opts.usage === 'server' ? 'serverAuth' : opts.usage === 'client' ? 'clientAuth' : 'serverAuth,clientAuth';
  const sans = (opts.sans ?? []).map((s) => (isIp(s) ? `IP:${s}` : `DNS:${s}`));
  const ext = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${eku}`,
    ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
  ].join('\n');
  await writeFile(extFile, ext + '\n');
  await openssl(
    ['x509', '-req', '-in', csrFile, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-CAcreateserial', '-sha256', '-days', String(opts.days ?? 825), '-extfile', extFile, '-out', certFile],
    dir,
  );
  await rm(csrFile, { force: true });
  await rm(extFile, { force: true });
  return { certFile, keyFile };
}

function isIp(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.includes(':');
}

function escapeSubject(s: string): string {
  return s.replace(/[/\\]/g, '\\$&');
}
