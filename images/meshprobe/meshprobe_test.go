package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"
)

// A plaintext server (no --xds): a plaintext call and the HTTP/2 greeting succeed and the server names the caller
// "plaintext"; TLS without a certificate fails against it. (Against istiod-managed servers: test/live.)
func TestPlaintextServerAnswersPlaintextAndGreets(t *testing.T) {
	srv, err := newServer(false)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addr := lis.Addr().String()
	if r := Call(ctx, "plaintext", addr); !r.OK || r.Identity != "plaintext" {
		t.Fatalf("plaintext call: %+v", r)
	}
	if r := Call(ctx, "h2-preface", addr); !r.OK {
		t.Fatalf("h2 greeting: %+v", r)
	}
	short, cancelShort := context.WithTimeout(context.Background(), time.Second)
	defer cancelShort()
	if r := Call(short, "tls-nocert", addr); r.OK {
		t.Fatalf("TLS against a plaintext server must fail: %+v", r)
	}
}

// A listener that accepts and closes (as a refusing proxy or the sandbox's egress does): no greeting, no pass.
func TestAcceptAndCloseIsNoGreeting(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if r := Call(ctx, "h2-preface", lis.Addr().String()); r.OK {
		t.Fatalf("accept-and-close must not count as a greeting: %+v", r)
	}
}

// The outcomes the live layer judges by: a closing peer is a refusal, a silent one is not judged, a closed port
// has no listener, and a plaintext server refuses both TLS modes by ending the connection.
func TestOutcomesNameHowAnAttemptEnded(t *testing.T) {
	srv, err := newServer(false)
	if err != nil {
		t.Fatal(err)
	}
	grpcLis, _ := net.Listen("tcp", "127.0.0.1:0")
	go func() { _ = srv.Serve(grpcLis) }()
	closing, _ := net.Listen("tcp", "127.0.0.1:0")
	go func() {
		for {
			c, err := closing.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	quiet, _ := net.Listen("tcp", "127.0.0.1:0")
	held := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := quiet.Accept()
			if err != nil {
				return
			}
			held <- c // kept open, never answered
		}
	}()
	gone, _ := net.Listen("tcp", "127.0.0.1:0")
	goneAddr := gone.Addr().String()
	_ = gone.Close()

	cases := []struct{ mode, target, outcome string }{
		{"h2-preface", closing.Addr().String(), closed},
		{"http1", closing.Addr().String(), closed},
		{"tls-nocert", closing.Addr().String(), closed},
		{"h2-preface", quiet.Addr().String(), silent},
		{"h2-preface", goneAddr, noListener},
		{"tls-foreign", grpcLis.Addr().String(), closed},
		{"plaintext", closing.Addr().String(), closed},
	}
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
		r := Call(ctx, c.mode, c.target)
		cancel()
		if r.OK || r.Outcome != c.outcome {
			t.Errorf("%s against %s: outcome %q (ok %v, error %q), want %q", c.mode, c.target, r.Outcome, r.OK, r.Error, c.outcome)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, mode := range []string{"h2-preface", "http1"} { // a gRPC server greets with its SETTINGS frame either way
		if r := Call(ctx, mode, grpcLis.Addr().String()); !r.OK || r.Outcome != answered {
			t.Errorf("%s greeting from a plaintext gRPC server: %+v", mode, r)
		}
	}
}

// Real TLS handshakes: a server that requires a certificate from its own CA ends the connection for a client
// with none or with a foreign one (TLS 1.3 says so only after the client's handshake, on the first read); a
// server with one-way TLS greets both.
func TestTLSModesAgainstMutualAndOneWayServers(t *testing.T) {
	serverCert, err := foreignCertificate()
	if err != nil {
		t.Fatal(err)
	}
	serve := func(cfg *tls.Config) string {
		lis, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = lis.Close() })
		go func() {
			for {
				c, err := lis.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					buf := make([]byte, 64)
					if _, err := c.Read(buf); err == nil {
						_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\n\r\n"))
					}
				}()
			}
		}()
		return lis.Addr().String()
	}
	mutual := serve(&tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: x509.NewCertPool()})
	oneWay := serve(&tls.Config{Certificates: []tls.Certificate{serverCert}})
	for _, c := range []struct{ mode, target, outcome string }{
		{"tls-nocert", mutual, closed},
		{"tls-foreign", mutual, closed},
		{"tls-nocert", oneWay, answered},
		{"h2-preface", mutual, closed},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		r := Call(ctx, c.mode, c.target)
		cancel()
		if r.Outcome != c.outcome {
			t.Errorf("%s against %s: outcome %q (error %q), want %q", c.mode, c.target, r.Outcome, r.Error, c.outcome)
		}
	}
}
