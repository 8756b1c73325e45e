// Checks a JSON Schema cannot express: CIDRs that parse, names unique across lists, waivers naming real controls.
// They run on the raw document even when the schema found problems, so one run reports everything; each check
// looks at a value only if it has the right shape (the schema problems already cover wrong shapes).
import type { InputProblem } from '../errors.ts';
import { parseCidr } from '../cidr/ipRange.ts';
import { closest } from './closest.ts';
import { joinPointer, type YamlSource } from './yamlSource.ts';

type Raw = Record<string, unknown>;

const CIDR_LISTS = ['vpcs', 'subnets', 'pods', 'services', 'nodes', 'peers'] as const;

export function specProblems(source: YamlSource, knownControlIds: readonly string[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const report = (pointer: string, message: string, fix: string, key = false) =>
    problems.push({ file: source.file, ...source.locate(pointer, { key }), pointer, message, fix });
  const body = record(record(source.value)?.spec);
  if (!body) return problems;

  // CIDRs: every place the schema types as cidrString.
  const cidrAt = (pointer: string, value: unknown) => {
    if (typeof value !== 'string') return;
    const check = parseCidr(value);
    if (!check.ok)
      report(
        pointer,
        `invalid CIDR "${value}": ${check.reason}`,
        check.suggestion ? `use ${check.suggestion}` : 'write a CIDR such as 10.0.0.0/16 or fd00::/64',
      );
  };
  list(record(body.apiEndpoint)?.allowedPublicCidrs).forEach((cidr, i) =>
    cidrAt(joinPointer('/spec/apiEndpoint/allowedPublicCidrs', i), cidr),
  );

  // Range names are unique across all lists: overlap messages and `cidrs --range` name ranges by them alone.
  const names = new Map<string, string>();
  const cidrs = record(body.cidrs);
  for (const listName of CIDR_LISTS) {
    list(cidrs?.[listName]).forEach((entry, i) => {
      const base = joinPointer('/spec/cidrs', listName, i);
      const item = record(entry);
      cidrAt(joinPointer(base, 'cidr'), item?.cidr);
      if (typeof item?.name !== 'string') return;
      const first = names.get(item.name);
      if (first)
        report(
          joinPointer(base, 'name'),
          `duplicate range name "${item.name}" (also at ${first})`,
          'give every range a unique name across vpcs, subnets, pods, services, nodes and peers',
        );
      else names.set(item.name, joinPointer(base, 'name'));
    });
  }

  // IAM tenants: one service account per entry, one tenant per role ("this tenant and only this tenant").
  const accounts = new Map<string, string>();
  const roles = new Map<string, string>();
  list(record(body.iam)?.tenants).forEach((entry, i) => {
    const tenant = record(entry);
    const base = joinPointer('/spec/iam/tenants', i);
    if (typeof tenant?.namespace === 'string' && typeof tenant.serviceAccount === 'string') {
      const account = `${tenant.namespace}/${tenant.serviceAccount}`;
      const first = accounts.get(account);
      if (first) report(base, `service account ${account} is listed twice (also at ${first})`, 'list each service account once');
      else accounts.set(account, base);
    }
    if (typeof tenant?.role === 'string') {
      const first = roles.get(tenant.role);
      if (first)
        report(
          joinPointer(base, 'role'),
          `role "${tenant.role}" is already given to the tenant at ${first}; a role belongs to exactly one tenant`,
          'give this tenant its own role',
        );
      else roles.set(tenant.role, base);
    }
  });

  // Waivers: the control must exist (a typo would silently waive nothing), and no two waivers cover the same thing.
  const waivers = new Map<string, string>();
  list(body.waivers).forEach((entry, i) => {
    const waiver = record(entry);
    const base = joinPointer('/spec/waivers', i);
    if (typeof waiver?.control !== 'string') return;
    if (!knownControlIds.includes(waiver.control)) {
      const guess = closest(waiver.control, knownControlIds);
      report(
        joinPointer(base, 'control'),
        `unknown control id "${waiver.control}"${guess ? ` (did you mean "${guess}"?)` : ''}; known ids: ${knownControlIds.join(', ')}`,
        guess ? `control: ${guess}` : 'use one of the known ids (see harness/controls/controls.yaml)',
      );
    }
    const scope = typeof waiver.scope === 'string' ? waiver.scope : '*';
    const key = `${waiver.control} ${scope}`;
    const first = waivers.get(key);
    if (first)
      report(base, `duplicate waiver for ${waiver.control} with scope ${scope} (also at ${first})`, 'merge the two waivers into one');
    else waivers.set(key, base);
  });

  return problems;
}

function record(value: unknown): Raw | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
