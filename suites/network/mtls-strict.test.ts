// Control mtls-strict. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// probe: needs an Istio data plane; says precisely what is missing (harness/probe/mtlsPlaintextProbe.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { mtlsPlaintextProbe } from '../../harness/probe/mtlsPlaintextProbe.ts';

describeControl('mtls-strict', { probe: mtlsPlaintextProbe });
