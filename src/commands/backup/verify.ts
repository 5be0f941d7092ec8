import path from 'node:path';
import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { backupVerifyReport, verifyBackupFile } from '../../core/backup/verify-backup.js';
import { readKeyFile } from '../../core/backup/archive-crypto.js';
import { renderVerify } from '../../ui/views/backup-view.js';

const verifyOptions = z.strictObject({
  file: z.string().check(z.minLength(1)),
  encryptKeyFile: z.optional(z.string().check(z.minLength(1))),
  checkRdb: z.optional(z.boolean()),
});

/** `gridctl backup verify FILE`: intact or not; a damaged file is an error (exit 6), not a report. */
export default defineCommand({
  options: verifyOptions,
  async run(opts, ctx) {
    const keyMaterial = opts.encryptKeyFile ? await readKeyFile(path.resolve(ctx.cwd, opts.encryptKeyFile)) : undefined;
    const verified = await verifyBackupFile(path.resolve(ctx.cwd, opts.file), { ...(keyMaterial ? { keyMaterial } : {}), checkRdb: opts.checkRdb !== false });
    return backupVerifyReport(verified);
  },
  render: (report, out) => renderVerify(report, out),
});
