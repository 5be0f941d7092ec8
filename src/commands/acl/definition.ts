import { Command } from 'commander';

/** The ACL permissions the operator's user needs for `acl rotate` (docs/acl-rotate.md says why each). */
const ROTATE_ACL_DATA = '+ping +info +role +acl|getuser +acl|setuser +acl|save +acl|log +config|get +config|set +config|rewrite +client|list (+cluster|nodes on a Cluster)';
const ROTATE_ACL_SENTINEL = '+ping +acl|getuser +acl|setuser +acl|save +acl|log +client|list +sentinel|flushconfig +sentinel|myid +sentinel|config +sentinel|set +sentinel|get-master-addr-by-name +sentinel|replicas +sentinel|sentinels';

export function aclCommand(): Command {
  const acl = new Command('acl').description('ACL users across every node: rotate a password without downtime, find drift');
  defineDiff(acl);
  defineRotate(acl);
  return acl;
}

/** `gridctl acl diff` */
function defineDiff(parent: Command): void {
  parent
    .command('diff')
    .description('ACL LIST of every node side by side (data nodes, Sentinels), and against users.acl: exit 1 on drift')
    .option('--acl-file <path>', 'users.acl to compare with the data nodes (default users.acl next to gridctl.yaml)')
    .addHelpText(
      'after',
      `
Each user's rules are compared across the data nodes, and across the Sentinels (they keep their
own ACL). Password hashes are compared but never printed: each distinct hash is shown as
password-1, password-2, ... (the same label everywhere). Against users.acl: users missing on nodes
or from the file, on/off, and password hashes (rules are compared between nodes only: ACL LIST
rewrites rules differently across Redis versions).

Exit codes: 0 no drift · 1 drift, or a node unreachable · 3 usage · 4 auth/ACL · 5 unreachable

ACL of the operator's user: +ping +info +role +acl|list (+cluster|nodes on a Cluster; on the
Sentinels +acl|list +sentinel|get-master-addr-by-name +sentinel|replicas +sentinel|sentinels)

Examples:
  $ gridctl acl diff
  $ gridctl acl diff --acl-file deploy/users.acl --json`,
    );
}

/** `gridctl acl rotate` */
function defineRotate(parent: Command): void {
  parent
    .command('rotate')
    .description("change an ACL user's password on every node (data nodes, Sentinels) with no moment where the old or the new one is refused")
    .argument('<user>', 'the ACL user whose password changes')
    .option('--finish', 'phase 2: remove the old password (once no connection older than phase 1 remains)')
    .option('--force', 'with --finish: remove it although such connections remain')
    .option('--rollback', 'accept the old password again on every node (the new one stays); the rotation is open again')
    .option('--dry-run', 'check every node and show what would change; change nothing')
    .option('--new-password-file <path>', 'the new password (default: 32 random bytes, 64 hex characters)')
    .option('--secret-file <path>', "where the new password is kept, 0600 (default the user's secrets/<role>.env next to gridctl.yaml)")
    .option('--acl-file <path>', "users.acl whose hashes for the user are re-rendered (default users.acl next to gridctl.yaml)")
    .option('--state-file <path>', 'where the rotation is recorded, 0600 (default .gridctl/acl-rotate-<user>.json next to gridctl.yaml)')
    .option('--watch <duration>', 'with --finish: watch ACL LOG for failed authentications as the user this long (default 10s; 0 = not)')
    .addHelpText(
      'after',
      `
Phase 1 (no flag): every node must answer. The new password is added to the user on every node
(ACL SETUSER user #<sha256>: the old one is kept), persisted (ACL SAVE with an aclfile, else CONFIG
REWRITE; SENTINEL FLUSHCONFIG on Sentinels), then masterauth (nodes whose masteruser is the user),
sentinel auth-pass and sentinel-pass are moved to it, and only then is it written to the secret
file (0600, temp + rename). Lists the user's connections opened before phase 1 (CLIENT LIST).
--finish removes the old password from every node, then watches ACL LOG for failed authentications.
A failure part-way says which node accepts which password; a rerun completes the rest.

Exit codes: 0 done (or dry run) · 1 a node failed, or --finish refused (old connections remain)
  · 2 declined · 3 usage, --yes missing, no open rotation · 4 auth/ACL · 5 a node is unreachable
  (nothing changed)

ACL of the operator's user (an admin user):
  data nodes:  ${ROTATE_ACL_DATA}
  Sentinels:   ${ROTATE_ACL_SENTINEL}

Examples:
  $ gridctl acl rotate app --dry-run                      every node, what would change
  $ gridctl acl rotate app --yes                          phase 1: both passwords accepted
  $ gridctl acl rotate app --finish --yes                 phase 2: only the new one
  $ gridctl acl rotate app --finish --force --watch 60s   old connections may stay open
  $ gridctl acl rotate app --rollback --yes               accept the old one again
  $ gridctl acl rotate app --new-password-file new.pass --secret-file /etc/gateway/redis.env`,
    );
}
