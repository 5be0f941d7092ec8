import { Command, Option } from 'commander';
import { subcommand } from '../subcommand.js';

/**
 * `gridctl orderbook`: is the order book sane? Depth, best prices, spread and mid from the live
 * orders, the stored metadata against the book, and an integrity audit over every member. Flags and
 * help only: each subcommand's module is loaded when it runs (see registry.ts).
 */

const ACL_HELP = `
ACL permissions (see docs/orderbook.md), read-only:
  +exists +type +pttl +zcard +zrange +zrevrange +zscan +get +hgetall (metadata) +hget (order:{id} hashes)
  snapshot also writes nothing to Redis (ZRANGE in pages). Keys: ~orderbook:* ~order_book:* ~order:*
  faster audit (one read-only script per page; standalone/Sentinel): add +evalsha +eval +zrank +zcount +time
  every command +ping; Cluster also +cluster|slots +cluster|nodes`;

const EXIT_HELP = `
Exit codes: 0 no FAIL finding (WARNs allowed) · 1 FAIL findings (crossed book, unparsable members, score != price,
wrong side, duplicate ids, order:{id} disagreeing, metadata missing) or no order book found · 3 usage · 4 permission
denied · 5 unreachable`;

function bookFlags(cmd: Command): Command {
  return cmd
    .option('--levels <n>', 'price levels per side (default 10, or orderbook.levels in gridctl.yaml)')
    .addOption(new Option('--layout <layout>', 'key layout (default: detect)').choices(['auto', 'orderbook', 'order_book']))
    .option('--no-order-hashes', 'skip the order:{id} hash comparison (done server-side in short read-only scripts, or one HGET per order on Cluster)');
}

export function orderbookCommand(): Command {
  return new Command('orderbook')
    .description('inspect the order book: depth, best bid/ask, spread, mid, metadata drift, integrity audit')
    .addHelpText('after', `${EXIT_HELP}\n${ACL_HELP}\n\nDocs: docs/orderbook.md`)
    .addCommand(inspectCommand())
    .addCommand(snapshotCommand());
}

function inspectCommand(): Command {
  return bookFlags(subcommand('inspect', 'top N levels per side, best bid/ask, spread, mid, metadata drift and age, and a full integrity audit (ZSCAN)'))
    .option('--no-audit', 'top of book and metadata only (skips the ZSCAN over every member)')
    .option('--watch [seconds]', 'redraw in place every N seconds (default 2) on a terminal')
    .addHelpText(
        'after',
        `
Depth and best prices count live orders only (parsable, on their own side, remaining > 0, not expired);
quantities are exact decimal sums of energy_amount - filled_amount. Everything else is reported by the audit.

Examples:
  $ gridctl orderbook inspect
  $ gridctl orderbook inspect --levels 5 --watch 1
  $ gridctl orderbook inspect --json | jq '.checks[] | select(.status != "PASS")'
${EXIT_HELP}`,
      );
}

function snapshotCommand(): Command {
  return bookFlags(subcommand('snapshot', 'save both sides, the metadata and the audit to one JSON file for the incident record'))
    .requiredOption('--out <file>', 'file to write (atomically)')
    .option('--dry-run', 'read everything, write nothing; print what would be written')
    .addHelpText('after', `\nExamples:\n  $ gridctl orderbook snapshot --out incident-4711-book.json\n${EXIT_HELP}`);
}
