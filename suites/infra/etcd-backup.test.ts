// Control etcd-backup. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// chaos: snapshot, restore into a throwaway etcd, read markers back (harness/chaos/etcdRestoreDrill.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { etcdRestoreDrill } from '../../harness/chaos/etcdRestoreDrill.ts';

describeControl('etcd-backup', { chaos: etcdRestoreDrill });
