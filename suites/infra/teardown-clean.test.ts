// Control teardown-clean. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// teardown: decided by `clusterproof run` after the suites and the cluster's removal (harness/teardown/teardownLayer.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { teardownDeferred } from '../../harness/teardown/teardownClean.ts';

describeControl('teardown-clean', { teardown: teardownDeferred });
