// Control cidr-non-overlapping. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateCidrNonOverlapping } from '../../harness/evaluate/cidrNonOverlapping.ts';

describeControl('cidr-non-overlapping', { evaluate: evaluateCidrNonOverlapping });
