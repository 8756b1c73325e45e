// Control iam-node-role-inheritance. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// probe: needs AWS nodes; says precisely what is missing (harness/probe/iamProbe.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { iamProbe } from '../../harness/probe/iamProbe.ts';

describeControl('iam-node-role-inheritance', { probe: iamProbe });
