import path from 'node:path';
import { c } from '../colors.js';
import type { Output } from '../output.js';
import type { CatalogReport, CheckReport } from '../../core/lint/report.js';
import type { Finding, RuleMeta, Severity } from '../../core/lint/types.js';
import { describeServer } from '../../core/compat/server-identity.js';

export type { CheckFormat } from '../../core/lint/formats.js';
import type { CheckFormat } from '../../core/lint/formats.js';

const rel = (f: string) => {
  const r = path.relative(process.cwd(), f);
  return r && !r.startsWith('..') ? r : f;
};
const where = (f: Finding) => (f.line > 0 ? `${rel(f.file)}:${f.line}` : rel(f.file));

function paint(sev: Severity): string {
  const k = c();
  return sev === 'error' ? k.red.bold('error') : sev === 'warn' ? k.yellow('warn ') : k.cyan('info ');
}

/** Human output: findings grouped by file, worst first within a line, then a one-line summary. */
function formatHuman(report: CheckReport, opts: { verbose?: boolean } = {}): string {
  const k = c();
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, list] of byFile) {
    out.push(k.underline(rel(file)));
    for (const f of list) {
      out.push(`  ${String(f.line || '-').padStart(4)}  ${paint(f.severity)}  ${k.dim(f.ruleId.padEnd(8))} ${f.message}`);
      if (opts.verbose || f.severity === 'error') out.push(`${' '.repeat(22)}${k.dim('fix:')} ${f.fix}`);
      if (f.overrideReason) out.push(`${' '.repeat(22)}${k.dim('re-levelled in gridctl.yaml:')} ${f.overrideReason}`);
    }
    out.push('');
  }
  for (const b of report.boot ?? []) {
    const state = b.skipped ? k.dim(`skipped: ${b.skipped}`) : b.booted ? k.green('boots') : k.red(`refused: ${b.reason ?? ''}`);
    out.push(`boot ${rel(b.file)}: ${state}${b.at ? ` (${rel(b.at.file)}:${b.at.line})` : ''}`);
  }
  if (report.boot?.length) out.push('');
  if (report.live) out.push(`live ${report.live.node}${report.live.version ? ` (${describeServer({ engine: report.live.engine, version: report.live.version })})` : ''}: compared ${report.live.directivesCompared} directives and ${report.live.usersCompared} users`, '');
  const s = report.summary;
  const counts = `${s.errors} error(s), ${s.warnings} warning(s), ${s.infos} info in ${s.files} file(s) (target ${report.target})`;
  out.push(report.verdict === 'pass' ? k.green(`✓ ${counts}`) : k.red(`✗ ${counts}${report.failReason && !/error/.test(report.failReason) ? `: ${report.failReason}` : ''}`));
  return out.join('\n');
}

/** GitHub workflow commands: one annotation per finding. */
function formatGithub(report: CheckReport): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return report.findings
    .map((f) => `::${f.severity === 'error' ? 'error' : f.severity === 'warn' ? 'warning' : 'notice'} file=${prop(rel(f.file))}${f.line > 0 ? `,line=${f.line}` : ''},title=${prop(`${f.ruleId} ${f.title}`)}::${esc(`${f.message}. Fix: ${f.fix}`)}`)
    .join('\n');
}

/** SARIF 2.1.0 for GitHub code scanning. */
function formatSarif(report: CheckReport, rules: RuleMeta[], version: string): string {
  const used = rules.filter((r) => report.findings.some((f) => f.ruleId === r.id) || r.id.startsWith('BOOT'));
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warn' ? 'warning' : 'note');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gridctl check',
            version,
            informationUri: 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/',
            rules: used.map((r) => ({ id: r.id, name: r.title, shortDescription: { text: r.title }, fullDescription: { text: r.why }, help: { text: `${r.why}\nFix: ${r.fix}` }, helpUri: r.docs, defaultConfiguration: { level: level(r.severity) } })),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          level: level(f.severity),
          message: { text: `${f.message}. Fix: ${f.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: rel(f.file).split(path.sep).join('/') }, region: { startLine: Math.max(1, f.line) } } }],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

/** JUnit XML: one test case per checked file; each error (and warning) is a failure. */
function formatJunit(report: CheckReport): string {
  const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const cases = report.files.map((file) => {
    const list = report.findings.filter((f) => f.file === file.file && f.severity !== 'info');
    const failures = list.map((f) => `      <failure type="${f.ruleId}" message="${x(`${where(f)} ${f.message}`)}">${x(`${f.severity} ${f.ruleId} ${f.title}\n${f.message}\nFix: ${f.fix}\n${f.docs}`)}</failure>`).join('\n');
    return `    <testcase classname="gridctl.check.${file.kind}" name="${x(rel(file.file))}">${failures ? `\n${failures}\n    ` : ''}</testcase>`;
  });
  const failing = report.files.filter((file) => report.findings.some((f) => f.file === file.file && f.severity !== 'info')).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gridctl check" tests="${report.files.length}" failures="${failing}">\n  <testsuite name="gridctl check" tests="${report.files.length}" failures="${failing}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>`;
}

export function renderCheck(report: CheckReport, out: Output, format: CheckFormat, rules: RuleMeta[], version: string): void {
  if (format === 'json') return out.printJson(report);
  if (format === 'sarif') return out.print(formatSarif(report, rules, version));
  if (format === 'junit') return out.print(formatJunit(report));
  if (format === 'github') {
    const text = formatGithub(report);
    if (text) out.print(text);
    return out.info(formatHuman({ ...report, findings: [] }).split('\n').at(-1)!);
  }
  out.print(formatHuman(report, { verbose: out.verbose }));
}

export function renderCatalog(report: CatalogReport, out: Output, json: boolean): void {
  if (json) return out.printJson(report);
  const k = c();
  const lines = report.rules.map((r) => (out.stdoutIsTTY ? `${k.bold(r.id.padEnd(9))}${paint(r.severity)}  ${r.title}` : `${r.id}\t${r.severity}\t${r.title}`));
  out.print(lines.join('\n'));
}

export function renderExplain(rule: RuleMeta, out: Output, json: boolean): void {
  if (json) return out.printJson(rule);
  const k = c();
  out.print([`${k.bold(rule.id)} (${paint(rule.severity).trim()}) ${rule.title}`, '', `Why: ${rule.why}`, '', `Fix: ${rule.fix}`, '', `Docs: ${rule.docs}`].join('\n'));
}
