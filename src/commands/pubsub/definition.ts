import { Command, Option } from 'commander';

const BASE = '+ping +client|setname +info (+cluster|slots +cluster|nodes on a Cluster)';

const PUBSUB_ACL = {
  channels: `${BASE} +pubsub|channels +pubsub|numsub +pubsub|numpat +pubsub|shardchannels +pubsub|shardnumsub`,
  buffers: `${BASE} +client|list +config|get (without +config|get the limits are unknown and nothing is flagged)`,
  watch: `${BASE} +psubscribe +punsubscribe, channel access &PATTERN (or allchannels)`,
};

export function pubsubCommand(): Command {
  const cmd = new Command('pubsub').description("Pub/Sub of the gateway's WebSocket fan-out: channels and subscribers, critical channels, slow subscribers' buffers, message rates");
  for (const sub of [channelsCommand, buffersCommand, watchCommand]) cmd.addCommand(sub());
  return cmd;
}

function channelsCommand(): Command {
  return new Command('channels')
    .description('PUBSUB CHANNELS / SHARDCHANNELS on every node with NUMSUB per channel, grouped by the gateway channel patterns; critical channels checked')
    .option('--pattern <glob>', 'only channels matching this glob (default *)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'prometheus']))
    .addHelpText(
      'after',
      `
Subscribers are summed over every data node (masters and replicas: a subscriber may be connected to
any node of a Cluster). Channels are grouped by market:events, system:alerts, trades:{user_id},
orders:{user_id}; others by their first segment. Critical channels come from gridctl.yaml:
pubsub:
  critical:
    - { channel: market:events, minSubscribers: 2 }
    - { channel: system:alerts }
FAIL at 0 subscribers, WARN below minSubscribers (default 1).

Exit codes: 0 no critical channel below its minimum · 1 one is (FAIL or WARN) · 3 usage · 4 permission · 5 unreachable
ACL: ${PUBSUB_ACL.channels}

Examples:
$ gridctl pubsub channels
$ gridctl pubsub channels --pattern 'trades:*' --json | jq '.groups'
$ gridctl pubsub channels --format prometheus > /var/lib/node_exporter/textfile/pubsub.prom`,
    );
}

function buffersCommand(): Command {
  return new Command('buffers')
    .description("subscribers' output buffers (CLIENT LIST omem, tot-mem) against client-output-buffer-limit pubsub: who is close to being disconnected")
    .option('--warn-percent <n>', 'flag a subscriber at this share of its limit (gridctl.yaml pubsub.bufferWarnPercent; default 50); FAIL from 90')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'prometheus']))
    .addHelpText(
      'after',
      `
Redis disconnects a subscriber whose output buffer passes the hard limit, or stays over the soft
limit for its seconds (default pubsub 32mb 8mb 60). The share is taken of the soft limit when set.

Exit codes: 0 none flagged · 1 a subscriber at --warn-percent or more · 3 usage · 4 permission · 5 unreachable
ACL: ${PUBSUB_ACL.buffers}

Examples:
$ gridctl pubsub buffers
$ gridctl pubsub buffers --warn-percent 25 --json`,
    );
}

function watchCommand(): Command {
  return new Command('watch')
    .description('message rate per channel for a while (PSUBSCRIBE on its own connection); counts only, payloads only with --show-payloads')
    .argument('<pattern>', "channel glob, e.g. 'trades:*' or market:events")
    .option('--duration <duration>', 'how long to listen, at most 1h (default 10s)')
    .option('--show-payloads', `also keep the first payloads of each channel (they may hold user data)`)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']))
    .addHelpText(
      'after',
      `
Sharded channels (SPUBLISH) are not seen by PSUBSCRIBE. On a Cluster one master hears every PUBLISH.

Exit codes: 0 watched (also when nothing was published) · 2 interrupted · 3 usage · 4 permission · 5 unreachable
ACL: ${PUBSUB_ACL.watch}

Examples:
$ gridctl pubsub watch 'trades:*' --duration 30s
$ gridctl pubsub watch market:events --duration 5s --show-payloads`,
    );
}
