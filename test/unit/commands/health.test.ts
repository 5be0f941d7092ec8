import { describe, expect, it, afterEach } from 'vitest';
import { parsedOptions } from '../../helpers/commands.js';
import { testContext } from '../../helpers/context.js';
import health from '../../../src/commands/health/health.js';
import { configureColors } from '../../../src/ui/colors.js';
import { summarize, type HealthReport } from '../../../src/core/health/types.js';
import { singleNodeCoverage } from '../../../src/core/redis/coverage.js';

describe('health options', () => {
  it.each([
    [['health'], { strict: false }],
    [['health', '--strict', '--samples', '5'], { strict: true, samples: 5 }],
    [['health', '--format', 'prometheus'], { strict: false, format: 'prometheus' }],
  ])('%j -> %j', async (argv, want) => {
    expect(await parsedOptions(argv)).toEqual(want);
  });

  it.each([
    [['health', '--samples', '0'], /^--samples: Too small/],
    [['health', '--samples', 'many'], /^--samples: /],
    [['health', '--samples', '1.5'], /^--samples: /],
    [['health', '--format', 'xml'], /argument 'xml' is invalid/],
    [['health', '--bogus'], /unknown option '--bogus'/],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    const err = await parsedOptions(argv).then(() => undefined, (e: { message: string; exitCode?: number; code?: string }) => e);
    expect(err?.message).toMatch(message);
  });

  it('a bad value is exit 3 with the command help named', async () => {
    await expect(parsedOptions(['health', '--samples', '0'])).rejects.toMatchObject({ exitCode: 3, hint: 'see `gridctl health --help`' });
  });
});

function report(statuses: Array<'PASS' | 'WARN' | 'FAIL'>): HealthReport {
  const checks = statuses.map((status, i) => ({ check: `check${i}`, status, value: `v${i}`, threshold: '< 1ms', metrics: { p99_seconds: 0.0003 } }));
  return { topology: 'standalone', source: '--url', checkedAt: '2026-12-07T06:00:00.000Z', tls: false, coverage: singleNodeCoverage('standalone', '127.0.0.1:6379'), nodes: [{ address: '127.0.0.1:6379', role: 'master', checks }], deployment: [], summary: summarize(checks) };
}

describe('health render and verdict', () => {
  afterEach(() => configureColors(false));

  it('piped: one tab-separated row per check, no header, no colour', () => {
    const t = testContext({ tty: false });
    health.render(report(['PASS', 'WARN']), t.ctx.out, { strict: false });
    expect(t.stdout()).toBe('127.0.0.1:6379\tmaster\tcheck0\tPASS\tv0\t< 1ms\t\n127.0.0.1:6379\tmaster\tcheck1\tWARN\tv1\t< 1ms\t\n');
  });

  it('on a terminal: a header per node, coloured statuses and the summary line', () => {
    configureColors(true);
    const t = testContext({ tty: true });
    health.render(report(['PASS', 'FAIL']), t.ctx.out, { strict: false });
    const text = t.stdout();
    expect(text).toContain('CHECK');
    expect(text).toContain('\u001b[');
    expect(text).toMatch(/1 pass, 0 warn, 1 fail, 0 skipped {2}\(standalone, --url\)/);
  });

  it('prometheus: the status and the metrics of each check', () => {
    const t = testContext();
    health.render(report(['WARN']), t.ctx.out, { strict: false, format: 'prometheus' });
    expect(t.stdout()).toContain('gridctl_health_check_status{node="127.0.0.1:6379",role="master",check="check0"} 1');
    expect(t.stdout()).toContain('gridctl_p99_seconds{node="127.0.0.1:6379",role="master",check="check0"} 0.0003');
  });

  it.each([
    [['PASS'], false, 0],
    [['WARN'], false, 0],
    [['WARN'], true, 1],
    [['FAIL'], false, 1],
  ] as const)('%j with strict=%s exits %i', (statuses, strict, code) => {
    expect(health.verdict!(report([...statuses]), { strict })).toBe(code);
  });
});
