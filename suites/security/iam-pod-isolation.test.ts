// Control iam-pod-isolation. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// probe: observed from inside pods on EC2 nodes or the kind test bed's AWS emulation (harness/probe/iam/podIdentityProbe.ts);
// not-applicable, saying what is missing, on clusters with no AWS identity source.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { probePodIsolation } from '../../harness/probe/iam/podIdentityProbe.ts';

describeControl('iam-pod-isolation', { probe: probePodIsolation });
