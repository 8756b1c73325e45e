// Control api-endpoint-private. The static twin runs on collected objects in every mode; live layers run in `clusterproof run`.
import { describeControl } from '../../harness/suite/describeControl.ts';
import { evaluateApiEndpointPrivate } from '../../harness/evaluate/apiEndpointPrivate.ts';

describeControl('api-endpoint-private', { evaluate: evaluateApiEndpointPrivate });
