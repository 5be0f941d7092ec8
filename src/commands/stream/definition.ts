import { Command, Option } from 'commander';

/** ACL of every stream subcommand besides its own commands (the connection, Cluster discovery). */
const STREAM_BASE_ACL = '+ping +client|setname (+cluster|slots +cluster|nodes on a Cluster)';

const STREAM_ACL = {
  list: `${STREAM_BASE_ACL} +scan +xinfo|stream +memory|usage, key access %R~* (or %R~stream:*)`,
  inspect: `${STREAM_BASE_ACL} +type +xinfo|stream +xinfo|groups +xinfo|consumers +xpending, key access %R~STREAM`,
  pending: `${STREAM_BASE_ACL} +xpending, key access %R~STREAM`,
  claim: `${STREAM_BASE_ACL} +xpending +xautoclaim, key access %RW~STREAM`,
  deadLetter: `${STREAM_BASE_ACL} +xpending +eval +xrange +xadd +xack (the script runs them as you), key access %RW~STREAM %RW~DEAD-LETTER`,
  trim: `${STREAM_BASE_ACL} +type +xlen +xinfo|groups +xrange +xpending +xtrim, key access %RW~STREAM`,
};

const formatOption = () => new Option('--format <format>', 'output format (prometheus: node_exporter textfile)').choices(['table', 'json', 'prometheus']);

export function streamCommand(): Command {
  const cmd = new Command('stream').description('Redis Streams of the gateway: consumer-group lag, pending age, dead consumers, poison entries; claim, dead-letter, trim');
  for (const sub of [listCommand, inspectCommand, pendingCommand, claimCommand, deadLetterCommand, trimCommand]) cmd.addCommand(sub());
  return cmd;
}

function listCommand(): Command {
  return new Command('list')
    .description('every stream on every master (SCAN TYPE stream): length, first/last entry age, groups, MAXLEN, memory')
    .option('--match <pattern>', 'only streams matching this SCAN pattern, e.g. "stream:*"')
    .addOption(formatOption())
    .addHelpText('after', help('list', '0 listed · 3 usage · 4 permission · 5 unreachable', ['gridctl stream list', "gridctl stream list --match 'stream:*' --format prometheus > /var/lib/node_exporter/textfile/streams.prom"]));
}

function inspectCommand(): Command {
  return new Command('inspect')
    .description('one stream: per group lag (unknown with its reason, never 0), pending, oldest pending, delivery counts; per consumer pending, idle, dead')
    .argument('<stream>', 'the stream key, e.g. stream:trades')
    .addOption(formatOption())
    .option('--strict', 'exit 1 on warnings too (a lag Redis cannot compute)')
    .addHelpText(
      'after',
      `
Thresholds per stream and group come from gridctl.yaml \`streams:\` (maxLag, maxPending, maxPendingAge,
deadConsumerAfter, poisonDeliveries), else slo.streamLag / slo.streamPending, 5m, 10m and 5.
Findings: critical = lag, pending or pending idle over the limit, a dead consumer (pending entries,
inactive past deadConsumerAfter), poison entries (delivered poisonDeliveries times or more);
warning = lag unknown (after XDEL, or a group set to an arbitrary id).
${help('inspect', '0 no critical finding (no finding with --strict) · 1 findings · 3 usage · 4 permission · 5 unreachable; a missing stream exits 1', ['gridctl stream inspect stream:settlements', 'gridctl stream inspect stream:trades --json | jq .groups'])}`,
    );
}

function pendingCommand(): Command {
  return new Command('pending')
    .description("a group's pending entries, filterable by consumer, idle time and delivery count (poison)")
    .argument('<stream>', 'the stream key')
    .argument('<group>', 'the consumer group')
    .option('--consumer <name>', 'only entries pending for this consumer')
    .option('--min-idle <duration>', 'only entries idle at least this long since their last delivery, e.g. 5m')
    .option('--min-deliveries <n>', 'only entries delivered at least N times (poison)')
    .option('--limit <n>', 'show at most N entries (all are counted) (default 100)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']))
    .addHelpText('after', help('pending', '0 listed · 1 no such stream or group · 3 usage · 4 permission · 5 unreachable', ['gridctl stream pending stream:settlements settlement --min-deliveries 5', 'gridctl stream pending stream:orders matching --consumer worker-3 --min-idle 10m']));
}

function claimCommand(): Command {
  return new Command('claim')
    .description('hand pending entries idle past --min-idle to a named consumer (XAUTOCLAIM); --dry-run shows them first')
    .argument('<stream>', 'the stream key')
    .argument('<group>', 'the consumer group')
    .requiredOption('--to <consumer>', 'the consumer that takes the entries over')
    .requiredOption('--min-idle <duration>', 'only entries idle at least this long, e.g. 10m')
    .option('--limit <n>', 'claim at most N entries (default 10000)')
    .option('--dry-run', 'list the entries that would be claimed; change nothing')
    .addHelpText(
      'after',
      `
XAUTOCLAIM ... JUSTID: the delivery counts stay as they are. Pending ids whose entry was deleted are
dropped from the group's PEL by Redis; the report lists them.
${help('claim', '0 claimed (or dry run) · 1 no such stream or group · 2 declined · 3 usage, or --yes missing without a terminal · 4 permission · 5 unreachable', ['gridctl stream claim stream:settlements settlement --to settler-2 --min-idle 10m --dry-run', 'gridctl stream claim stream:settlements settlement --to settler-2 --min-idle 10m --yes'])}`,
    );
}

function deadLetterCommand(): Command {
  return new Command('dead-letter')
    .description('move poison entries to a dead-letter stream and XACK them, atomically per entry (run twice: moved once)')
    .argument('<stream>', 'the stream key')
    .argument('<group>', 'the consumer group')
    .option('--to <stream>', 'dead-letter stream (gridctl.yaml streams.<stream>.deadLetter; default {STREAM}:dead-letter)')
    .option('--min-deliveries <n>', 'poison = delivered at least N times (default streams.<stream>.poisonDeliveries, 5)')
    .option('--min-idle <duration>', 'only entries idle at least this long')
    .option('--consumer <name>', 'only entries pending for this consumer')
    .option('--limit <n>', 'move at most N entries (default 10000)')
    .option('--dry-run', 'list the entries that would be moved; change nothing')
    .addHelpText(
      'after',
      `
Each entry is moved by one script on the stream's master: still pending with enough deliveries ->
XADD to the dead-letter stream (its fields plus dead-letter:stream, :group, :id, :consumer,
:deliveries) and XACK, all or nothing. An entry acknowledged meanwhile is skipped, never copied twice.
On a Cluster both streams must share a slot: the default name uses the stream as its hash tag.
${help('deadLetter', '0 moved (or dry run) · 1 no such stream or group · 2 declined · 3 usage, or --yes missing without a terminal · 4 permission · 5 unreachable', ['gridctl stream dead-letter stream:settlements settlement --dry-run', 'gridctl stream dead-letter stream:settlements settlement --min-deliveries 10 --yes'])}`,
    );
}

function trimCommand(): Command {
  return new Command('trim')
    .description('XTRIM a stream to --maxlen N or --minid ID (exact), showing first how many entries go and what each group loses')
    .argument('<stream>', 'the stream key')
    .option('--maxlen <n>', 'keep the newest N entries')
    .option('--minid <id>', 'remove the entries with an id below ID')
    .option('--dry-run', 'count what would be removed; change nothing')
    .addHelpText('after', help('trim', '0 trimmed (or dry run) · 1 no such stream · 2 declined · 3 usage, or --yes missing without a terminal · 4 permission · 5 unreachable', ['gridctl stream trim stream:meter_readings --maxlen 1000000 --dry-run', 'gridctl stream trim stream:trades --minid 1733500000000 --yes']));
}

function help(acl: keyof typeof STREAM_ACL, exitCodes: string, examples: string[]): string {
  return `
Exit codes: ${exitCodes}
ACL: ${STREAM_ACL[acl]}

Examples:
${examples.map((e) => `  $ ${e}`).join('\n')}`;
}
