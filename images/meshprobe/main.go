// Command meshprobe is the mTLS live layer's workload and client on an Istio mesh without Envoy (proxyless gRPC):
//
//	meshprobe serve --port 8080 [--xds]     a gRPC server whose one method answers with the caller's identity
//	meshprobe call --mode M HOST:PORT        one attempt, one JSON line: {"mode","target","ok","identity","error"}
//
// Modes of call: `plaintext` (gRPC without TLS), `h2-preface` (the raw HTTP/2 client preface; ok when the server's
// SETTINGS frame, its greeting, comes back), `tls-nocert` (TLS without a client certificate, any server certificate
// accepted), `xds` (the mesh's own credentials through the xDS bootstrap the Istio agent wrote; HOST is the
// Service's DNS name). With --xds the server takes its listener and mTLS settings from istiod (PeerAuthentication);
// without it, it serves plaintext. Either way the reply names the caller's SPIFFE identity when it presented one.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

const usage = `usage:
  meshprobe serve --port 8080 [--xds]
  meshprobe call --mode plaintext|h2-preface|tls-nocert|xds [--timeout 3s] HOST:PORT
`

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return serveCmd(args[1:])
	case "call":
		return callCmd(args[1:], os.Stdout)
	default:
		fmt.Fprintf(os.Stderr, "meshprobe: unknown command %q\n%s", args[0], usage)
		return 2
	}
}
