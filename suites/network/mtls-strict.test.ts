// Control mtls-strict. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// probe: plaintext and foreign TLS from outside the mesh, an mTLS caller from inside, against the twin's mode per pod
// and port; not-applicable only without any Istio (harness/probe/mtlsPlaintextProbe.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { mtlsPlaintextProbe } from '../../harness/probe/mtlsPlaintextProbe.ts';

describeControl('mtls-strict', { probe: mtlsPlaintextProbe });
