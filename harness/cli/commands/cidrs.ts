// `clusterproof cidrs --range NAME=CIDR …`: which of the given ranges share addresses.
// Exit codes follow the rest of the CLI so it can gate CI: 0 no overlap, 1 at least one overlap, 2 bad input.
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { InputError, type InputProblem } from '../../errors.ts';
import { parseCidr } from '../../cidr/ipRange.ts';
import { findOverlaps, type NamedCidrValue, type Overlap } from '../../evaluate/cidrNonOverlapping/overlaps.ts';

const EXAMPLE = '--range pods=10.244.0.0/16 --range services=10.96.0.0/12';

export function register(program: Command): void {
  program
    .command('cidrs')
    .description('list every pair of the given ranges that overlaps (equal, contains, overlap); exit 1 if any does')
    .requiredOption('--range <NAME=CIDR>', `a named IPv4 or IPv6 range, repeatable (e.g. ${EXAMPLE})`, collect)
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'table']).default('json'))
    .addHelpText(
      'after',
      '\nExit codes: 0 no overlap, 1 at least one overlap, 2 invalid input.\nRanges of different IP families never overlap; IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as IPv6.',
    )
    .action((options: { range: string[]; format: 'json' | 'table' }) => {
      const overlaps = findOverlaps(parseRanges(options.range));
      process.stdout.write(options.format === 'json' ? `${formatJson(overlaps)}\n` : formatTable(overlaps));
      process.exitCode = overlaps.length > 0 ? 1 : 0;
    });
}

// No default value: commander only enforces a required option that has none.
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses every `--range` and reports all bad ones at once. */
function parseRanges(values: string[]): NamedCidrValue[] {
  const problems: InputProblem[] = [];
  const ranges: NamedCidrValue[] = [];
  const names = new Set<string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const name = eq > 0 ? value.slice(0, eq).trim() : '';
    if (eq <= 0 || name === '') {
      problems.push({ file: '--range', message: `"${value}" is not NAME=CIDR`, fix: `name each range, e.g. ${EXAMPLE}` });
      continue;
    }
    const parsed = parseCidr(value.slice(eq + 1).trim());
    if (!parsed.ok) {
      const fix = parsed.suggestion ? `use --range ${name}=${parsed.suggestion}` : `give a CIDR such as ${EXAMPLE}`;
      problems.push({ file: '--range', message: `"${value}": ${parsed.reason}`, fix });
      continue;
    }
    if (names.has(name)) {
      problems.push({ file: '--range', message: `"${value}": the name ${name} is used twice`, fix: 'give every range its own name' });
      continue;
    }
    names.add(name);
    ranges.push({ name, cidr: parsed.cidr });
  }
  if (problems.length > 0) throw new InputError(problems);
  return ranges;
}

/** The documented shape: `{"overlaps": [{"a", "b", "relation"}]}`, plus the shared span for people. */
function formatJson(overlaps: Overlap[]): string {
  return JSON.stringify({ overlaps: overlaps.map((o) => ({ a: o.a, b: o.b, relation: o.relation, span: o.span })) }, null, 2);
}

function formatTable(overlaps: Overlap[]): string {
  if (overlaps.length === 0) return 'No overlapping ranges.\n';
  const table = new Table({ head: ['a', 'relation', 'b', 'shared span'], style: { head: [], border: [] } });
  for (const o of overlaps) table.push([o.a, o.relation, o.b, `${o.span.first}–${o.span.last}\n${o.span.cidrs.join(', ')}`]);
  return `${table.toString()}\n`;
}
