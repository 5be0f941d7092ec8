import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { GridctlError } from '../../core/errors.js';
import { readManifest } from '../../core/backup/manifest.js';
import { verifyRdbBackup, type RdbVerifyReport } from '../../core/backup/rdb-backup.js';
import { verifyArchiveWithManifest } from '../../core/backup/verify-with-manifest.js';
import { readKeyFile } from '../../core/backup/archive-crypto.js';
import type { ArchiveVerifyReport } from '../../core/backup/verify.js';
import { renderVerify } from '../../ui/views/backup-view.js';

const verifyOptions = z.strictObject({
  file: z.string().check(z.minLength(1)),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
});

/** An archive (or an RDB backup's manifest), checked without a server. */
async function verifyBackup(file: string, encryptKeyFile: string | undefined): Promise<ArchiveVerifyReport | RdbVerifyReport> {
  if (file.endsWith('.manifest.json')) {
    const m = await readManifest(file);
    if (m?.mode === 'rdb') return verifyRdbBackup(file);
    if (m) return verifyBackup(path.join(path.dirname(file), m.files[0]!.name), encryptKeyFile);
    throw new GridctlError('INTEGRITY', `${file} is not a gridctl backup manifest`);
  }
  const keyMaterial = encryptKeyFile ? await readKeyFile(encryptKeyFile) : undefined;
  return verifyArchiveWithManifest(file, keyMaterial);
}

/** `gridctl backup verify FILE`: intact or not; a damaged file is an error (exit 6), not a report. */
export default defineCommand({
  options: verifyOptions,
  run: (opts, ctx) => verifyBackup(path.resolve(ctx.cwd, opts.file), opts.encryptKeyFile ? path.resolve(ctx.cwd, opts.encryptKeyFile) : undefined),
  render: (report, out) => renderVerify(report, out),
});
