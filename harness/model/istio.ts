// Names Istio gives things, shared by what `up --mesh istio` installs (provision/mesh), what the mtls-strict
// evaluator reads (evaluate/mtlsStrict) and what its live layer deploys (probe/mtls): one spelling of each.

/** The injected sidecar container (Envoy, or pilot-agent alone in proxyless gRPC). */
export const ISTIO_PROXY_CONTAINER = 'istio-proxy';
/** The injection template of Istio's proxyless gRPC mode (manifests/charts/istio-control/istio-discovery/files). */
export const GRPC_AGENT_TEMPLATE = 'grpc-agent';
export const INJECT_TEMPLATES_ANNOTATION = 'inject.istio.io/templates';
/** The namespace label that turns sidecar injection on (`enabled`) or off (`disabled`). */
export const INJECTION_LABEL = 'istio-injection';
/** Istio's per-pod injection switch (a label; it injects in namespaces without the injection label too). */
export const SIDECAR_INJECT_LABEL = 'sidecar.istio.io/inject';
