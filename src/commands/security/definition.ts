import { Command, Option } from 'commander';

/** The ACL of a reporting user (docs/security-report.md says why each). */
const SECURITY_REPORT_ACL_DATA = '+ping +info +role +acl|log +acl|list +acl|getuser +acl|dryrun +config|get +client|list (+cluster|nodes on a Cluster)';
const SECURITY_REPORT_ACL_SENTINEL = '+ping +acl|log +acl|list +acl|getuser +client|list +sentinel|get-master-addr-by-name +sentinel|replicas +sentinel|sentinels';

export function securityCommand(): Command {
  const security = new Command('security').description('who tried what: refused logins and commands, TLS share, risky users, across every node');
  security
    .command('report')
    .description('ACL LOG by reason, user and client; denied counters; clients over TLS; default user, protected-mode; users with nopass, +@all or dangerous commands')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'prometheus']))
    .option('--since <file>', 'report only refused attempts new since the run that wrote FILE (created, then updated, 0600): for cron')
    .addHelpText(
      'after',
      `
Read only. Every data node and Sentinel: ACL LOG entries grouped by reason (auth, command, key,
channel), user and client address, with count and last seen (first seen and entries lost to
acllog-max-len on Redis 7.2+); INFO acl_access_denied_* (7.2+); the share of clients connected to
the TLS port; the default user; protected-mode; users with nopass or +@all; which of FLUSHALL,
CONFIG GET, DEBUG, KEYS and MODULE each user may run (ACL DRYRUN). No password or hash is printed.

Exit codes: 0 nothing at warning or above · 1 findings (failed logins, NOPERM, nopass, plaintext
  clients, an unreachable node) · 3 usage · 4 the reporting user may not run a command · 5 unreachable

ACL of the reporting user:
  data nodes:  ${SECURITY_REPORT_ACL_DATA}
  Sentinels:   ${SECURITY_REPORT_ACL_SENTINEL}

Examples:
  $ gridctl security report
  $ gridctl security report --json | jq '.denied[] | select(.reason == "auth")'
  $ gridctl security report --format prometheus > /var/lib/node_exporter/textfile/gridctl-security.prom
  $ gridctl security report --since /var/lib/gridctl/security.state --json     from cron: new ones only`,
    );
  return security;
}
