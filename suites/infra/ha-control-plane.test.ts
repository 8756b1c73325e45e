// Control ha-control-plane. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateHaControlPlane } from '../../harness/evaluate/haControlPlane.ts';

describeControl('ha-control-plane', { evaluate: evaluateHaControlPlane });
