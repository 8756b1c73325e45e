// Control canary-auto-rollback. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// chaos: drives a canary whose analysis must fail through the cluster's Argo Rollouts controller and observes the
// abort to stable (harness/chaos/canaryAbortDrill.ts); without Argo Rollouts it says what is missing.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { canaryAbortDrill } from '../../harness/chaos/canaryAbortDrill.ts';

describeControl('canary-auto-rollback', { chaos: canaryAbortDrill });
