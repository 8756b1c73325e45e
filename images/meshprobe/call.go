package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	xdscreds "google.golang.org/grpc/credentials/xds"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/xds" // registers the xds:/// resolver and balancers
)

// CallResult is the one JSON line `meshprobe call` prints.
type CallResult struct {
	Mode     string `json:"mode"`
	Target   string `json:"target"`
	OK       bool   `json:"ok"`
	Identity string `json:"identity,omitempty"` // the caller as the server saw it
	Ms       int64  `json:"ms"`
	Error    string `json:"error,omitempty"`
}

func callCmd(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	mode := fs.String("mode", "plaintext", "plaintext | h2-preface | tls-nocert | xds")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	res := Call(ctx, *mode, fs.Arg(0))
	_ = json.NewEncoder(stdout).Encode(res)
	if res.OK {
		return 0
	}
	return 1
}

// Call makes one attempt in mode against target.
func Call(ctx context.Context, mode, target string) CallResult {
	start := time.Now()
	res := CallResult{Mode: mode, Target: target}
	var err error
	switch mode {
	case "h2-preface":
		err = h2Greeting(ctx, target)
	case "plaintext":
		res.Identity, err = who(ctx, target, insecure.NewCredentials())
	case "tls-nocert":
		res.Identity, err = who(ctx, target, credentials.NewTLS(&tls.Config{InsecureSkipVerify: true})) //nolint:gosec // a probe, not a client that trusts
	case "xds":
		var creds credentials.TransportCredentials
		creds, err = xdscreds.NewClientCredentials(xdscreds.ClientOptions{FallbackCreds: insecure.NewCredentials()})
		if err == nil {
			res.Identity, err = who(ctx, "xds:///"+target, creds)
		}
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	res.Ms = time.Since(start).Milliseconds()
	res.OK = err == nil
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

func who(ctx context.Context, target string, creds credentials.TransportCredentials) (string, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(creds), grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		return "", err
	}
	defer conn.Close()
	var req, reply rawMessage
	if err := conn.Invoke(ctx, whoMethod, &req, &reply, grpc.WaitForReady(true)); err != nil {
		return "", err
	}
	return string(reply), nil
}

// h2Greeting sends the HTTP/2 client preface and an empty SETTINGS frame over plain TCP; a server that speaks
// plaintext HTTP/2 answers with its own SETTINGS frame. A TLS-only server (or a proxy that accepts and resets)
// sends no such frame: the greeting, not the TCP handshake, decides.
func h2Greeting(ctx context.Context, target string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return err
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	preface := append([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 0, 0, 0, 0x4, 0, 0, 0, 0, 0)
	if _, err := conn.Write(preface); err != nil {
		return err
	}
	header := make([]byte, 9)
	if _, err := io.ReadFull(conn, header); err != nil {
		return fmt.Errorf("no HTTP/2 greeting: %w", err)
	}
	if header[3] != 0x4 {
		return fmt.Errorf("first frame is type %d, not SETTINGS", header[3])
	}
	return nil
}

// rawMessage and rawCodec carry bytes as they are, so the probe needs no generated protobuf code.
type rawMessage []byte

type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) {
	m, ok := v.(*rawMessage)
	if !ok {
		return nil, errors.New("rawCodec: not a *rawMessage")
	}
	return *m, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	m, ok := v.(*rawMessage)
	if !ok {
		return errors.New("rawCodec: not a *rawMessage")
	}
	*m = bytes.Clone(data)
	return nil
}

// Its own content-subtype: registering it as "proto" would break the xDS client's own protobuf streams.
func (rawCodec) Name() string { return "clusterproof-raw" }

func init() { encoding.RegisterCodec(rawCodec{}) }
