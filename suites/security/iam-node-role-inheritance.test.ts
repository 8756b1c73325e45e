// Control iam-node-role-inheritance. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateIamNodeRoleInheritance } from '../../harness/evaluate/iamNodeRoleInheritance.ts';

describeControl('iam-node-role-inheritance', { evaluate: evaluateIamNodeRoleInheritance });
