// Control api-endpoint-private. The static twin (harness/evaluate/registry.ts) runs on collected objects in every mode;
// live layers run in `clusterproof run` against a real cluster.
// probe: resolve the kubeconfig server now, classify, handshake only with our own addresses (harness/probe/apiEndpointProbe.ts).
import { describeControl } from '../../harness/suite/describeControl.ts';
import { probeApiEndpoint } from '../../harness/probe/apiEndpointProbe.ts';

describeControl('api-endpoint-private', { probe: probeApiEndpoint });
