import type { NamespaceConfig } from '../config/schema.js';

/** The gateway's pub/sub channels (DESIGN.md), as patterns the namespace matcher groups channels by. */
export const GATEWAY_CHANNEL_PATTERNS: NamespaceConfig[] = [
  { pattern: 'market:events', kind: 'ephemeral' },
  { pattern: 'system:alerts', kind: 'ephemeral' },
  { pattern: 'trades:{user_id}', kind: 'ephemeral' },
  { pattern: 'orders:{user_id}', kind: 'ephemeral' },
];
