// `--from` / `--to` of `clusterproof reachability`: which pods (workloads) a side of the query covers, in the forms
// POD_FILTER_HELP lists. `ns/name` also matches the templates named `name`, whatever their kind.
import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';
import { InputError } from '../errors.ts';
import type { PodEndpoint } from '../netpol/endpoints.ts';
import { compileSelector } from '../netpol/selectors.ts';

export const POD_FILTER_HELP =
  'a namespace (shop), a workload (shop/web or shop/web[Deployment]) or a label selector (app=web,tier in (a,b); also k!=v, k notin (…), k, !k)';

type PodFilter = (pod: PodEndpoint) => boolean;

export function parsePodFilter(flag: string, text: string): PodFilter {
  const value = text.trim();
  if (/[=!(]|\s(in|notin)\s/.test(value)) {
    const selector = compileSelector(parseSelectorText(flag, value));
    if ('problem' in selector) throw bad(flag, value, selector.problem);
    return (pod) => selector.matches(pod.labels);
  }
  const workload = /^([^/\s]+)\/([^/\s[\]]+)(\[[A-Za-z]+\])?$/.exec(value);
  if (workload) {
    const [, namespace, name, kind] = workload;
    return (pod) => pod.namespace === namespace && (pod.name === `${name}${kind ?? ''}` || (!kind && pod.name.startsWith(`${name}[`)));
  }
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value)) return (pod) => pod.namespace === value;
  throw bad(flag, value, 'is neither a namespace, ns/name, nor a label selector');
}

/** kubectl's selector syntax as a LabelSelector. */
function parseSelectorText(flag: string, text: string): V1LabelSelector {
  const matchExpressions: V1LabelSelectorRequirement[] = [];
  for (const part of splitOutsideParens(text)) {
    const set = /^([^\s=!()]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(part);
    const equality = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(part);
    const exists = /^(!?)([^\s=!()]+)$/.exec(part);
    if (set) {
      const values = (set[3] as string)
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      matchExpressions.push({ key: set[1] as string, operator: set[2] === 'in' ? 'In' : 'NotIn', values });
    } else if (equality) {
      matchExpressions.push({
        key: equality[1] as string,
        operator: equality[2] === '!=' ? 'NotIn' : 'In',
        values: [equality[3] as string],
      });
    } else if (exists) {
      matchExpressions.push({ key: exists[2] as string, operator: exists[1] ? 'DoesNotExist' : 'Exists' });
    } else {
      throw bad(flag, text, `cannot read the requirement "${part}"`);
    }
  }
  return { matchExpressions };
}

function splitOutsideParens(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function bad(flag: string, value: string, why: string): InputError {
  return new InputError([{ file: flag, message: `"${value}" ${why}`, fix: `give ${POD_FILTER_HELP}` }]);
}
