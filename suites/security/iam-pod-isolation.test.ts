// Control iam-pod-isolation. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateIamPodIsolation } from '../../harness/evaluate/iamPodIsolation.ts';

describeControl('iam-pod-isolation', { evaluate: evaluateIamPodIsolation });
