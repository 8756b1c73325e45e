// Control teardown-clean. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateTeardownClean } from '../../harness/evaluate/teardownClean.ts';

describeControl('teardown-clean', { evaluate: evaluateTeardownClean });
