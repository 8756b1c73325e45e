// Control canary-auto-rollback. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// chaos: needs an Argo Rollouts controller; says precisely what is missing (harness/probe/absentPlatform.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { canaryAbortDrill } from '../../harness/probe/absentPlatform.ts';

describeControl('canary-auto-rollback', { chaos: canaryAbortDrill });
