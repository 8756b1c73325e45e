package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"syscall"
	"time"
)

// Outcomes of one attempt, judged by the application's greeting, never by the TCP handshake alone (an Envoy
// sidecar in STRICT mode, and this sandbox's egress, accept a connection and then close it):
//
//	answered     the server's greeting (its first application bytes, a gRPC reply) arrived
//	closed       the peer ended the connection (EOF, reset, TLS alert) before any greeting: a refusal
//	silent       nothing came back before the deadline: not judged
//	no-listener  the connection itself was refused: nothing listens on that port
//	error        anything else (DNS, a local failure)
const (
	answered   = "answered"
	closed     = "closed"
	silent     = "silent"
	noListener = "no-listener"
	failed     = "error"
)

var h2Preface = append([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 0, 0, 0, 0x4, 0, 0, 0, 0, 0)

// outcomeOf classifies the error that ended an attempt.
func outcomeOf(err error) string {
	var netErr net.Error
	var alert tls.AlertError
	var recordErr tls.RecordHeaderError
	var opErr *net.OpError
	switch {
	case err == nil:
		return answered
	case errors.Is(err, syscall.ECONNREFUSED):
		return noListener
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return silent
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.As(err, &alert), errors.As(err, &recordErr),
		errors.As(err, &opErr) && opErr.Op == "remote error": // the peer's TLS alert (certificate required, unknown CA)
		return closed
	default:
		return failed
	}
}

func dial(ctx context.Context, target string) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	return conn, nil
}

// greeting reads the server's first bytes after the client's request: any application bytes (an HTTP/2 frame, an
// HTTP/1 status line, a gRPC server's own preface) mean the server speaks this protocol on this connection. A TLS
// alert record (0x15) in answer to plaintext is a TLS-only server refusing it.
func greeting(conn net.Conn, request []byte) error {
	if _, err := conn.Write(request); err != nil {
		return err
	}
	first := make([]byte, 1)
	if _, err := io.ReadFull(conn, first); err != nil {
		return fmt.Errorf("no greeting: %w", err)
	}
	if first[0] == 0x15 {
		return tls.RecordHeaderError{Msg: "a TLS alert record in answer to plaintext: the server speaks only TLS"}
	}
	return nil
}

func http1Request(host string) []byte {
	return []byte(fmt.Sprintf("GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", host))
}

// rawAttempt runs one greeting exchange over plain TCP (h2-preface, http1) or TLS (tls-nocert: no client
// certificate; tls-foreign: a self-signed one from a CA no mesh trusts). Over TLS the greeting matters too: with
// TLS 1.3 a server that requires a client certificate rejects it only after the client's handshake is done.
func rawAttempt(ctx context.Context, mode, target string) error {
	conn, err := dial(ctx, target)
	if err != nil {
		return err
	}
	defer conn.Close()
	host, _, _ := net.SplitHostPort(target)
	switch mode {
	case "h2-preface":
		return greeting(conn, h2Preface)
	case "http1":
		return greeting(conn, http1Request(host))
	}
	cfg := &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"h2", "http/1.1"}} //nolint:gosec // a probe: the server is never trusted
	if mode == "tls-foreign" {
		cert, err := foreignCertificate()
		if err != nil {
			return err
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	tconn := tls.Client(conn, cfg)
	if err := tconn.HandshakeContext(ctx); err != nil {
		return err
	}
	if tconn.ConnectionState().NegotiatedProtocol == "http/1.1" {
		return greeting(tconn, http1Request(host))
	}
	return greeting(tconn, h2Preface)
}

// foreignCertificate is a fresh self-signed client certificate carrying a SPIFFE ID, as an attacker's own CA would issue.
func foreignCertificate() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	id, _ := url.Parse("spiffe://foreign.example/ns/default/sa/intruder")
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		URIs:         []*url.URL{id},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
