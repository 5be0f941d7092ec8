import * as z from '../option-schema.js';
import { defineCommand } from '../define-command.js';
import { usageError } from '../../core/errors.js';
import { EXIT_CODE_DOCS } from '../../core/exit-codes.js';

const helpOptions = z.strictObject({ topic: z.optional(z.string()) });

export interface HelpReport {
  topic: string;
  text: string;
}

/** `gridctl help [topic|command]`: the topic `exit-codes`, or a command's own --help. */
export default defineCommand({
  options: helpOptions,
  async run(opts, ctx): Promise<HelpReport> {
    if (opts.topic === 'exit-codes') {
      const lines = ['Exit codes used by every gridctl command:', '', ...EXIT_CODE_DOCS.map((e) => `  ${e.code}  ${e.name.padEnd(12)} ${e.meaning}`)];
      return { topic: opts.topic, text: lines.join('\n') };
    }
    const text = ctx.helpText(opts.topic);
    if (text === undefined) throw usageError(`no help topic or command "${opts.topic}"`, 'try `gridctl help exit-codes` or `gridctl --help`');
    return { topic: opts.topic ?? 'gridctl', text: text.replace(/\n$/, '') };
  },
  render(report, out) {
    out.print(report.text);
  },
});
