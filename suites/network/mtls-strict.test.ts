// Control mtls-strict. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateMtlsStrict } from '../../harness/evaluate/mtlsStrict.ts';

describeControl('mtls-strict', { evaluate: evaluateMtlsStrict });
