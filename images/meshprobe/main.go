// Command meshprobe is the mTLS live layer's workload and client on an Istio mesh without Envoy (proxyless gRPC):
//
//	meshprobe serve --port 8080 [--xds | --xds-auto]   a gRPC server whose one method answers with the caller's identity
//	meshprobe call --mode M[,M...] HOST:PORT...         one attempt per target and mode, one JSON line each:
//	                                                    {"mode","target","ok","outcome","identity","ms","error"}
//
// Modes of call: `plaintext` (gRPC without TLS), `h2-preface` (the raw HTTP/2 client preface; ok when the server's
// SETTINGS frame, its greeting, comes back), `http1` (one HTTP/1.1 request; ok on a status line), `tls-nocert` and
// `tls-foreign` (TLS without a client certificate, or with a self-signed one, then the HTTP/2 or HTTP/1 greeting;
// any server certificate accepted), `xds` (the mesh's own credentials through the xDS bootstrap the Istio agent
// wrote; HOST is the Service's DNS name). `outcome` (raw.go) says how a failed attempt ended: closed by the peer,
// silent, or no listener. With --xds the server takes its listener and mTLS settings from istiod
// (PeerAuthentication); without it, it serves plaintext; --xds-auto picks by whether the pod was injected. Either
// way the reply names the caller's SPIFFE identity when it presented one.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

const usage = `usage:
  meshprobe serve --port 8080 [--xds | --xds-auto]
  meshprobe call --mode plaintext,h2-preface,http1,tls-nocert,tls-foreign,xds [--timeout 3s] HOST:PORT...
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
