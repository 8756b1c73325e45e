// Control netpol-default-deny. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// probe: probe pods observe what the static NetworkPolicy engine predicts (harness/probe/defaultDenyProbe.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { probeDefaultDeny } from '../../harness/probe/defaultDenyProbe.ts';

describeControl('netpol-default-deny', { probe: probeDefaultDeny });
