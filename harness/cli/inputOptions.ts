// The options every command that reads files shares: the namespace for objects without one, and how kustomize
// directories and Helm charts found in the inputs are rendered.
import type { Command } from 'commander';
import type { LoadOptions } from '../collect/files/loadFiles.ts';

export interface InputFlags {
  namespace?: string[];
  values?: string[];
  set?: string[];
  releaseName?: string;
  kubeVersion?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addInputOptions(command: Command): Command {
  return command
    .option('--namespace <ns>', 'namespace for objects without one, and the Helm release namespace (repeatable; default: default)', collect)
    .option('--values <file>', 'Helm values file for charts in the inputs (repeatable; later files win)', collect)
    .option('--set <key=value>', 'Helm value for charts in the inputs (repeatable)', collect)
    .option('--release-name <name>', 'Helm release name (default: release-name)')
    .option('--kube-version <version>', "the cluster's Kubernetes version charts are rendered for (default: v1.34.4, the test bed's)");
}

export function loadOptionsFrom(flags: InputFlags): LoadOptions {
  return {
    ...(flags.namespace?.length ? { defaultNamespaces: flags.namespace } : {}),
    render: {
      ...(flags.values?.length ? { values: flags.values } : {}),
      ...(flags.set?.length ? { set: flags.set } : {}),
      ...(flags.releaseName ? { releaseName: flags.releaseName } : {}),
      ...(flags.kubeVersion ? { kubeVersion: flags.kubeVersion } : {}),
    },
  };
}
