import { z } from 'zod';
import { SERVER_VERSIONS } from './server-versions.js';

/**
 * The `check:` section of gridctl.yaml: what `gridctl check` needs to know beyond the files, and
 * rule overrides. Re-levelling or disabling a rule requires a reason, so the exception is
 * explained where it is made (and shown next to every finding it affects).
 */
const ruleId = z.string().regex(/^[A-Z]{3,5}\d{3}$/, 'expected a rule ID such as AUTH002');

const checkRuleOverrideSchema = z.strictObject({
  severity: z.enum(['off', 'error', 'warn', 'info']).describe('New severity, or off to disable the rule.'),
  reason: z.string().trim().min(3, 'a reason is required when a rule is disabled or re-levelled').describe('Why this rule does not apply here (required).'),
});

export const checkConfigSchema = z.strictObject({
  version: z.enum(SERVER_VERSIONS).optional().describe('Target server version: directives unknown to it are errors (default 7.0).'),
  files: z.array(z.string()).optional().describe('Files or directories `gridctl check` reads when given no paths (relative to gridctl.yaml).'),
  profile: z.enum(['store', 'cache']).optional().describe('Default profile of the data nodes: store = must not lose or evict data.'),
  profiles: z.record(z.string(), z.enum(['store', 'cache'])).optional().describe('File name glob -> profile, e.g. {"cache-*.conf": cache}.'),
  certExpiryDays: z.number().int().min(0).optional().describe('Warn when a certificate expires within this many days (default 30).'),
  allowNopassUsers: z.array(z.string()).optional().describe('Users allowed to keep nopass (AUTH008).'),
  userRoles: z
    .record(z.string(), z.enum(['app', 'admin', 'monitor', 'backup', 'restore', 'replication', 'sentinel']))
    .optional()
    .describe('ACL user -> role, when the name does not say it (admin, monitor, backup, ...).'),
  hostMemory: z.string().regex(/^\d+(k|kb|m|mb|g|gb)?$/i, 'expected a memory size such as 16gb').optional().describe('RAM of the hosts (MEM004/MEM005).'),
  maxOpenFiles: z.number().int().positive().optional().describe('File-descriptor limit of the redis service (OPS005).'),
  tlsBuild: z.boolean().optional().describe('false when the target redis-server is built without TLS (VER002).'),
  rules: z.record(ruleId, checkRuleOverrideSchema).optional().describe('Per-rule overrides: { AUTH002: { severity: off, reason: "..." } }.'),
});

