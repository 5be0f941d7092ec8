import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { GridctlError } from '../errors.js';
import type { ArchiveEncryptionInfo } from './archive-format.js';

/**
 * Encryption at rest: AES-256-GCM per frame (authenticated, so tampering is detected, not just
 * garbled). The key file's bytes go through HKDF-SHA256 with a per-archive random salt, so the
 * same key file never encrypts two archives under the same key+nonce pair. The key material is
 * never printed or stored in the archive; only a check value derived from it.
 */
const TAG_BYTES = 16;
const KEY_CHECK_LABEL = 'gridctl-backup key check v1';

export interface FrameCipher {
  info: ArchiveEncryptionInfo;
  /**
   * Bind the archive's preamble and header (format 3 on) into every frame's and the footer's
   * associated data: a changed header (topology, versions, compression, the encryption
   * parameters themselves) then fails authentication like a changed frame does.
   */
  bindHeader(headerBytes: Buffer): void;
  encrypt(plain: Buffer, index: number, final: boolean): Buffer;
  decrypt(stored: Buffer, index: number, final: boolean): Buffer;
}

/** Read a key file: at least 32 bytes of material (e.g. `openssl rand -base64 48 > backup.key`). */
export async function readKeyFile(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a regular file');
    bytes = await readFile(file);
  } catch (err) {
    throw new GridctlError('USAGE', `cannot read --encrypt-key-file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const material = Buffer.from(bytes.toString('latin1').trim(), 'latin1');
  if (material.length < 32) {
    throw new GridctlError('USAGE', `--encrypt-key-file ${file} holds ${material.length} bytes; at least 32 are needed`, {
      hint: 'create one with: openssl rand -base64 48 > backup.key && chmod 600 backup.key',
    });
  }
  return material;
}

function deriveKey(material: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', material, salt, 'gridctl-backup aes-256-gcm', 32));
}

function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update(KEY_CHECK_LABEL).digest().subarray(0, 16).toString('base64');
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 4);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

/**
 * AAD binds each frame to its position and to "is this the footer", so frames cannot be reordered,
 * dropped or cut off unnoticed; from format 3 on also to the SHA-256 of the preamble and header.
 */
function aad(index: number, final: boolean, headerDigest: Buffer | undefined): Buffer {
  const a = Buffer.alloc(9 + (headerDigest?.length ?? 0));
  a.writeBigUInt64BE(BigInt(index), 0);
  a[8] = final ? 1 : 0;
  headerDigest?.copy(a, 9);
  return a;
}

function makeCipher(key: Buffer, info: ArchiveEncryptionInfo): FrameCipher {
  const prefix = Buffer.from(info.noncePrefix, 'base64');
  let headerDigest: Buffer | undefined;
  return {
    info,
    bindHeader(headerBytes) {
      headerDigest = createHash('sha256').update(headerBytes).digest();
    },
    encrypt(plain, index, final) {
      const c = createCipheriv('aes-256-gcm', key, nonce(prefix, index));
      c.setAAD(aad(index, final, headerDigest));
      return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    },
    decrypt(stored, index, final) {
      if (stored.length < TAG_BYTES) throw new Error('encrypted block shorter than its tag');
      const d = createDecipheriv('aes-256-gcm', key, nonce(prefix, index));
      d.setAAD(aad(index, final, headerDigest));
      d.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
      return Buffer.concat([d.update(stored.subarray(0, stored.length - TAG_BYTES)), d.final()]);
    },
  };
}

/** A cipher for a new archive (fresh salt and nonce prefix). */
export function newFrameCipher(material: Buffer): FrameCipher {
  const salt = randomBytes(16);
  const key = deriveKey(material, salt);
  return makeCipher(key, {
    algorithm: 'aes-256-gcm',
    kdf: 'hkdf-sha256',
    salt: salt.toString('base64'),
    noncePrefix: randomBytes(4).toString('base64'),
    keyCheck: keyCheck(key),
  });
}

/** The cipher for an existing archive; a wrong key is an auth error (exit 4), not corruption. */
export function openFrameCipher(material: Buffer, info: ArchiveEncryptionInfo): FrameCipher {
  const key = deriveKey(material, Buffer.from(info.salt, 'base64'));
  if (keyCheck(key) !== info.keyCheck) {
    throw new GridctlError('AUTH_FAILED', 'the encryption key does not match this backup', {
      hint: 'pass the --encrypt-key-file the backup was written with',
    });
  }
  return makeCipher(key, info);
}
