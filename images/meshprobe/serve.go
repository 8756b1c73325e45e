package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	xdscreds "google.golang.org/grpc/credentials/xds"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/xds"
)

// whoMethod is the one method: no request body; the reply is the caller's identity as the server saw it.
const whoMethod = "/clusterproof.mesh.Probe/Who"

// grpcServer is what both a plain and an xDS-managed server offer.
type grpcServer interface {
	Serve(net.Listener) error
}

func serveCmd(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	port := fs.Int("port", 8080, "TCP port")
	useXds := fs.Bool("xds", false, "take listener and security settings from the xDS server (GRPC_XDS_BOOTSTRAP)")
	auto := fs.Bool("xds-auto", false, "--xds when the pod was injected (GRPC_XDS_BOOTSTRAP set), else plaintext: a workload that follows its namespace's mesh membership")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *auto {
		*useXds = os.Getenv("GRPC_XDS_BOOTSTRAP") != ""
	}
	if *useXds {
		if err := awaitBootstrap(os.Getenv("GRPC_XDS_BOOTSTRAP"), 2*time.Minute); err != nil {
			log.Printf("meshprobe serve: %v", err)
			return 1
		}
	}
	srv, err := newServer(*useXds)
	if err != nil {
		log.Printf("meshprobe serve: %v", err)
		return 1
	}
	lis, err := net.Listen("tcp", fmt.Sprintf(":%d", *port))
	if err != nil {
		log.Printf("meshprobe serve: %v", err)
		return 1
	}
	host, _ := os.Hostname()
	log.Printf("meshprobe serve: %s on :%d (xds %v)", host, *port, *useXds)
	if err := srv.Serve(lis); err != nil {
		log.Printf("meshprobe serve: %v", err)
		return 1
	}
	return 0
}

func newServer(useXds bool) (grpcServer, error) {
	handler := grpc.UnknownServiceHandler(answerWho)
	if !useXds {
		return grpc.NewServer(handler, grpc.Creds(insecure.NewCredentials())), nil
	}
	// Fallback plaintext only when istiod sends no security config for the listener (mode DISABLE).
	creds, err := xdscreds.NewServerCredentials(xdscreds.ServerOptions{FallbackCreds: insecure.NewCredentials()})
	if err != nil {
		return nil, fmt.Errorf("xds server credentials: %w", err)
	}
	// The live layer waits for "serving mode SERVING": before istiod's listener arrives the server refuses every
	// connection, which must not be mistaken for mTLS refusing plaintext.
	logMode := xds.ServingModeCallback(func(addr net.Addr, args xds.ServingModeChangeArgs) {
		log.Printf("meshprobe serve: serving mode %s on %s (%v)", args.Mode, addr, args.Err)
	})
	return xds.NewGRPCServer(handler, grpc.Creds(creds), logMode)
}

// answerWho serves whoMethod on a raw stream (no generated code): it reads the empty request and replies with
// the caller's identity.
func answerWho(_ any, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	if method != whoMethod {
		return fmt.Errorf("unknown method %s", method)
	}
	var req rawMessage
	if err := stream.RecvMsg(&req); err != nil {
		return err
	}
	reply := rawMessage(callerIdentity(stream.Context()))
	return stream.SendMsg(&reply)
}

// callerIdentity is the URI SAN of the client certificate (a SPIFFE ID in a mesh), or "plaintext" / "tls-anonymous".
func callerIdentity(ctx context.Context) string {
	p, ok := peer.FromContext(ctx)
	if !ok || p.AuthInfo == nil {
		return "plaintext"
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok {
		return "plaintext"
	}
	for _, cert := range info.State.PeerCertificates {
		for _, uri := range cert.URIs {
			return uri.String()
		}
	}
	return "tls-anonymous"
}

// awaitBootstrap waits for the Istio agent to write the xDS bootstrap: the application container may start first.
func awaitBootstrap(path string, bound time.Duration) error {
	if path == "" {
		return fmt.Errorf("--xds needs GRPC_XDS_BOOTSTRAP (set by Istio's grpc-agent injection template)")
	}
	for deadline := time.Now().Add(bound); ; time.Sleep(500 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("xDS bootstrap %s not written within %s: %w", path, bound, err)
		}
	}
}
