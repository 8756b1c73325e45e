package main

import (
	"context"
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
