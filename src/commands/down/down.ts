import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { downLocal, type DownResult } from '../../core/local/up.js';
import { DEFAULT_RUN_DIR } from '../../core/local/state.js';

/** `gridctl down`: stop exactly what `gridctl up` started and remove its run directory. */
export default defineCommand({
  options: z.strictObject({}),
  run: (_opts, ctx): Promise<DownResult> => downLocal(ctx.global.runDir ?? DEFAULT_RUN_DIR),
  render(result, out) {
    if (!result.found) out.info(`nothing is running from ${result.dir}`);
    else out.info(`stopped ${result.stopped.length} process${result.stopped.length === 1 ? '' : 'es'}; removed ${result.dir}`);
  },
});
