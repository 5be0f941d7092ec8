import { Command, Option } from 'commander';
import { TOPOLOGIES } from '../../core/redis/spec.js';

export function upCommand(): Command {
  return new Command('up')
    .description('start a local Redis deployment (standalone, Sentinel or Cluster) from redis-server on PATH, on free loopback ports')
    .addOption(new Option('--topology <kind>', 'standalone | sentinel (1 master, 2 replicas, 3 sentinels) | cluster (3 masters, 3 replicas)').choices(TOPOLOGIES).default('standalone'))
    .option('--tls', 'TLS-only ports with mutual TLS (a throwaway CA and certificates are generated with openssl)', false)
    .option('--acl', 'disable the default user and create an admin user with a generated password (0600 file)', false)
    .option('--from <dir>', 'start exactly the files `gridctl init` rendered in DIR (topology, TLS and users from its gridctl.yaml), on loopback ports')
    .addHelpText(
      'after',
      `
Waits until the deployment is really ready (PING, replication links up, sentinels agree on the
master, cluster_state:ok), writes <run-dir>/state.json and prints the connection URL. Live commands
run in the same directory connect to it without flags. Stop it with \`gridctl down\`.

Exit codes: 0 ready · 1 a node failed to start or become ready · 3 redis-server/openssl missing or already running

Examples:
  $ gridctl up                                  one redis-server on a free port
  $ gridctl up --topology cluster --acl         3 masters + 3 replicas, default user off
  $ gridctl up --topology sentinel --tls --acl --json
  $ gridctl up --from .                         the deployment \`gridctl init\` rendered here

With --from, the rendered configs run unchanged except for a local overlay appended to each
(bind 127.0.0.1, free ports, daemonize, run-dir paths); --topology/--tls/--acl are taken from
gridctl.yaml. gridctl connects as the admin user with the gridctl client certificate.`,
    );
}
