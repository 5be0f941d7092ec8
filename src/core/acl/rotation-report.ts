import type { Coverage } from '../redis/coverage.js';
import type { NodeRole } from '../redis/deployment.js';
import type { Topology } from '../redis/spec.js';
import type { AuthFailure } from './acl-log.js';
import type { OldConnections } from './client-list.js';
import type { CredentialLink } from './credential-links.js';
import type { Persistence } from './persist.js';
import type { RotationState } from './rotation-state.js';

/** start: phase 1 (add the new password) · finish: remove the old one · rollback: re-add the old one. */
export type RotationAction = 'start' | 'finish' | 'rollback';

/** What one node accepts after the run (for a dry run: now) and what the run did to it. */
export interface NodeRotation {
  address: string;
  role: NodeRole;
  acceptsOld: boolean;
  acceptsNew: boolean;
  /** add-new · remove-old · restore-old · none (already so) · absent (the user is not on this node, a Sentinel) · failed */
  change: 'add-new' | 'remove-old' | 'restore-old' | 'none' | 'absent' | 'failed';
  /** Set on a dry run: the change is what would be done. */
  planned?: boolean;
  persisted?: Persistence;
  error?: string;
}

export interface FileChange {
  file: string;
  what: 'secret' | 'pending secret' | 'users.acl' | 'include' | 'state';
  change: 'written' | 'removed' | 'planned';
}

export interface RotationReport {
  user: string;
  action: RotationAction;
  dryRun: boolean;
  topology: Topology;
  /** The rotation's phase after this run (none: no rotation is open, e.g. before a first dry run). */
  phase: RotationState['phase'] | 'none';
  /** The action reached every node (and every link); false: see nodes[].error and `next`. */
  complete: boolean;
  nodes: NodeRotation[];
  links: CredentialLink[];
  files: FileChange[];
  /** Connections of the user opened before the new password was on every node. */
  oldConnections: OldConnections[];
  /** --finish: failed authentications as the user seen while watching ACL LOG afterwards. */
  authFailures: AuthFailure[];
  /** Why nothing was changed (e.g. old connections remain without --force); the run exits 1. */
  refused?: string;
  /** The operator declined at the prompt: nothing was changed. */
  declined?: boolean;
  /** What to do next, one sentence. */
  next: string;
  stateFile: string;
  coverage: Coverage;
}
