// Control canary-auto-rollback. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateCanaryAutoRollback } from '../../harness/evaluate/canaryAutoRollback.ts';

describeControl('canary-auto-rollback', { evaluate: evaluateCanaryAutoRollback });
