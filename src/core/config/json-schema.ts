import { z } from 'zod';
import { configSchema } from './schema.js';

/** The JSON Schema of gridctl.yaml, derived from the zod model so the two can never disagree. */
export function buildJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://gridtokenx.dev/schema/gridctl.schema.json',
    title: 'gridctl.yaml',
    description: 'The model of a GridTokenX Redis deployment, read by gridctl.',
  };
}
