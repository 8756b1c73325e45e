// Control etcd-backup. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateEtcdBackup } from '../../harness/evaluate/etcdBackup.ts';

describeControl('etcd-backup', { evaluate: evaluateEtcdBackup });
