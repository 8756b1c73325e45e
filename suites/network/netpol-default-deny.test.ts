// Control netpol-default-deny. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateDefaultDeny } from '../../harness/evaluate/defaultDenyCoverage.ts';

describeControl('netpol-default-deny', { evaluate: evaluateDefaultDeny });
