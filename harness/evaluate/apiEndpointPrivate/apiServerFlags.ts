// kube-apiserver flags as collected: keys may be stored with or without the leading `--`.
export function flagValue(flags: Record<string, string>, name: string): string | undefined {
  return flags[name] ?? flags[`--${name}`];
}
