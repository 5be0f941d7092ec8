import { Command, Option } from 'commander';

const BASE = '+ping +client|setname +client|id +client|list +info (+cluster|slots +cluster|nodes on a Cluster)';

const CLIENTS_ACL = {
  list: `${BASE} (+config|get to find the TLS port; without it, the port gridctl used over TLS)`,
  kill: `${BASE} +client|kill (+config|get as above)`,
};

export function clientsCommand(): Command {
  const cmd = new Command('clients')
    .description("connections on every node grouped by user, client name, library and host: count, idle p50/p99/max, in flight, memory, TLS share; against maxclients and the pool size")
    .option('--by <dimensions>', 'group by these, comma-separated: user,name,lib,host (default all four)')
    .option('--pool-size <n>', 'connections per app instance and node (gridctl.yaml clients.poolSize; default 50)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'prometheus']))
    .addHelpText(
      'after',
      `
Replication links and gridctl's own connection are not counted. Findings: a node at slo.clientsPercent
(default 80%) of maxclients; an app instance (client name from one host) holding more connections
to a node than the pool size.

Exit codes: 0 no finding · 1 findings · 3 usage · 4 permission · 5 unreachable
ACL: ${CLIENTS_ACL.list}

Examples:
  $ gridctl clients
  $ gridctl clients --by user,host --json | jq '.groups[] | select(.count > 40)'
  $ gridctl clients --format prometheus > /var/lib/node_exporter/textfile/clients.prom`,
    );
  cmd.addCommand(
    new Command('kill')
      .description('close connections idle at least --idle (optionally of one ACL user or host); never gridctl\'s own nor a replica/master link')
      .requiredOption('--idle <duration>', 'idle at least this long, e.g. 1h (at least 1s)')
      .option('--client-user <name>', 'only connections of this ACL user (--user is the user gridctl connects as)')
      .option('--addr <host[:port]>', 'only connections from this host (or exact address)')
      .option('--dry-run', 'list the connections that would be closed; change nothing')
      .addHelpText(
        'after',
        `
Each connection is read again right before CLIENT KILL ID: one that ran a command since (idle below
--idle now) is skipped and reported. Connections named gridctl (this run, or another gridctl) and
replication links are never killed.

Exit codes: 0 killed (or dry run) · 2 declined · 3 usage, or --yes missing without a terminal · 4 permission · 5 unreachable
ACL: ${CLIENTS_ACL.kill}

Examples:
  $ gridctl clients kill --idle 1h --dry-run
  $ gridctl clients kill --idle 30m --client-user app --addr 10.0.3.17 --yes`,
      ),
  );
  return cmd;
}
