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

// greetingWait is the least time the prober waits for a TCP server's greeting once connected.
const greetingWait = time.Second

// udpResend is how long the prober waits for a UDP reply before sending the datagram again.
const udpResend = 250 * time.Millisecond

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

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
		// The greeting gets a budget of its own: a handshake that completed late in the timeout (a SYN
		// retransmitted while service rules or DNS settled) must not leave the read no time, or the
		// caller cannot tell which pod answered.
		readBy := time.Now().Add(greetingWait)
		if deadline.After(readBy) {
			readBy = deadline
		}
		_ = conn.SetReadDeadline(readBy)
		buf := make([]byte, 256)
		n, _ := conn.Read(buf)
		return strings.TrimSpace(string(buf[:n])), nil
	case "udp":
		conn, err := d.DialContext(ctx, "udp", target)
		if err != nil {
			return "", err
		}
		defer conn.Close()
		// UDP has no retransmission of its own: a first datagram lost while a path settles (ARP, conntrack,
		// freshly programmed service rules) would read as "blocked". Like a DNS client, resend every
		// udpResend until a reply comes back or the probe's own timeout ends.
		buf := make([]byte, 512)
		var lastErr error
		for {
			if _, err := conn.Write([]byte(udpPayload)); err != nil {
				lastErr = err
			} else {
				wait := time.Now().Add(udpResend)
				if wait.After(deadline) {
					wait = deadline
				}
				_ = conn.SetReadDeadline(wait)
				n, err := conn.Read(buf)
				if err == nil {
					return strings.TrimSpace(string(buf[:n])), nil
				}
				lastErr = err
			}
			if !time.Now().Before(deadline) {
				return "", fmt.Errorf("no UDP reply: %w", lastErr)
			}
			if wait := time.Until(deadline); wait > 0 && lastErr != nil && !isTimeout(lastErr) {
				// An immediate error (ICMP refusal): pause instead of spinning until the next resend.
				time.Sleep(min(udpResend, wait))
			}
		}
	default:
		return "", fmt.Errorf("protocol %q is not tcp or udp", protocol)
	}
}
