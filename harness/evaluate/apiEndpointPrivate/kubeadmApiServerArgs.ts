// kubeadm ClusterConfiguration `apiServer.extraArgs`: a map in v1beta3 (`bind-address: 10.0.0.5`), a list of
// `{name, value}` in v1beta4. A flag given twice in the list form: the last one wins, as on the command line.
import type { KubeadmClusterConfiguration } from '../../model/state.ts';

export function kubeadmApiServerArg(config: KubeadmClusterConfiguration | undefined, name: string): string | undefined {
  const args = config?.apiServer?.extraArgs;
  if (Array.isArray(args)) return args.filter((a) => a.name === name || a.name === `--${name}`).at(-1)?.value;
  return args?.[name] ?? args?.[`--${name}`];
}
