// Control iam-node-role-inheritance. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
import { describeControl } from '../../harness/suite/describeControl.ts';

describeControl('iam-node-role-inheritance');
