// Control ha-control-plane. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// chaos: stop a control-plane node, measure the API gap, check etcd rejoins (harness/chaos/haFailover.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { haFailoverDrill } from '../../harness/chaos/haFailover.ts';

describeControl('ha-control-plane', { chaos: haFailoverDrill });
