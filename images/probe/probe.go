package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Result is one probe's outcome; its JSON form is the line `probe batch` prints per target.
type Result struct {
	Target   string `json:"target"`
	Protocol string `json:"protocol"`
	OK       bool   `json:"ok"`
	Ms       int64  `json:"ms"`
	Reply    string `json:"reply,omitempty"`
	Error    string `json:"error"`
}

// udpPayload is what the prober sends; the server answers every datagram, so a reply proves the path.
const udpPayload = "clusterproof-probe\n"

// Probe connects to target over protocol within timeout. TCP succeeds when the handshake completes;
// UDP succeeds only when a reply datagram comes back (a silent drop and an ICMP refusal both fail).
func Probe(ctx context.Context, protocol, target string, timeout time.Duration) Result {
	start := time.Now()
	res := Result{Target: target, Protocol: protocol}
	reply, err := probeOnce(ctx, protocol, target, timeout)
	res.Ms = time.Since(start).Milliseconds()
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.OK = true
	res.Reply = reply
	return res
}

func probeOnce(ctx context.Context, protocol, target string, timeout time.Duration) (string, error) {
	if _, _, err := net.SplitHostPort(target); err != nil {
		return "", fmt.Errorf("target %q is not HOST:PORT: %w", target, err)
	}
	if timeout <= 0 {
		return "", errors.New("timeout must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	var d net.Dialer
	switch protocol {
	case "tcp":
		conn, err := d.DialContext(ctx, "tcp", target)
		if err != nil {
			return "", err
		}
		defer conn.Close()
		// The server greets with its hostname; a missing greeting still means the port was reachable.
		_ = conn.SetReadDeadline(deadline)
		buf := make([]byte, 256)
		n, _ := conn.Read(buf)
		return strings.TrimSpace(string(buf[:n])), nil
	case "udp":
		conn, err := d.DialContext(ctx, "udp", target)
		if err != nil {
			return "", err
		}
		defer conn.Close()
		_ = conn.SetDeadline(deadline)
		if _, err := conn.Write([]byte(udpPayload)); err != nil {
			return "", err
		}
		buf := make([]byte, 512)
		n, err := conn.Read(buf)
		if err != nil {
			return "", fmt.Errorf("no UDP reply: %w", err)
		}
		return strings.TrimSpace(string(buf[:n])), nil
	default:
		return "", fmt.Errorf("protocol %q is not tcp or udp", protocol)
	}
}
