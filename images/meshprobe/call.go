package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	xdscreds "google.golang.org/grpc/credentials/xds"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"
	_ "google.golang.org/grpc/xds" // registers the xds:/// resolver and balancers
)

// CallResult is the one JSON line `meshprobe call` prints.
type CallResult struct {
	Mode     string `json:"mode"`
	Target   string `json:"target"`
	OK       bool   `json:"ok"`
	Outcome  string `json:"outcome"`            // raw.go: answered, closed, silent, no-listener, error
	Identity string `json:"identity,omitempty"` // the caller as the server saw it
	Ms       int64  `json:"ms"`
	Error    string `json:"error,omitempty"`
}

func callCmd(args []string, stdout io.Writer) int {
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	modes := fs.String("mode", "plaintext", "comma-separated: plaintext, h2-preface, http1, tls-nocert, tls-foreign, xds")
	timeout := fs.Duration("timeout", 3*time.Second, "give up on each attempt after this long")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		return 2
	}
	all := true
	// One line per target and mode, in that order; each attempt has its own deadline.
	for _, target := range fs.Args() {
		for _, mode := range strings.Split(*modes, ",") {
			ctx, cancel := context.WithTimeout(context.Background(), *timeout)
			res := Call(ctx, mode, target)
			cancel()
			_ = json.NewEncoder(stdout).Encode(res)
			all = all && res.OK
		}
	}
	if all {
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
	case "h2-preface", "http1", "tls-nocert", "tls-foreign":
		err = rawAttempt(ctx, mode, target)
	case "plaintext":
		res.Identity, err = who(ctx, target, insecure.NewCredentials(), false)
	case "xds":
		var creds credentials.TransportCredentials
		creds, err = xdscreds.NewClientCredentials(xdscreds.ClientOptions{FallbackCreds: insecure.NewCredentials()})
		if err == nil {
			res.Identity, err = who(ctx, "xds:///"+target, creds, true)
		}
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	res.Ms = time.Since(start).Milliseconds()
	res.OK = err == nil
	res.Outcome = outcomeOf(err)
	if err != nil {
		res.Error = err.Error()
		if s, ok := status.FromError(err); ok {
			res.Outcome = grpcOutcome(s.Code())
		}
	}
	return res
}

// grpcOutcome: a gRPC call fails with a status, not a socket error. Unavailable is a connection the server ended;
// the codes only a server sends (an unknown method, a denial) mean it answered over this connection.
func grpcOutcome(code codes.Code) string {
	switch code {
	case codes.Unavailable:
		return closed
	case codes.DeadlineExceeded:
		return silent
	case codes.Unimplemented, codes.PermissionDenied, codes.Unauthenticated, codes.NotFound, codes.InvalidArgument, codes.FailedPrecondition:
		return answered
	default:
		return failed
	}
}

// who calls whoMethod once. waitForReady (xDS: the route arrives after the first resolution) keeps retrying until
// the deadline; without it the first refused connection is the answer.
func who(ctx context.Context, target string, creds credentials.TransportCredentials, waitForReady bool) (string, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(creds), grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		return "", err
	}
	defer conn.Close()
	var req, reply rawMessage
	if err := conn.Invoke(ctx, whoMethod, &req, &reply, grpc.WaitForReady(waitForReady)); err != nil {
		return "", err
	}
	return string(reply), nil
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
