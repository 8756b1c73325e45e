package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"
)

// startServer runs the real server on free loopback ports and returns its TCP and UDP addresses.
func startServer(t *testing.T) (tcp, udp string) {
	t.Helper()
	s, err := Listen(context.Background(), "127.0.0.1", []int{0})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s.TCPAddrs[0].String(), s.UDPAddrs[0].String()
}

// closedPort returns a loopback port nothing listens on (bound, then released).
func closedPort(t *testing.T, network string) string {
	t.Helper()
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		pc.Close()
		return addr
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestProbeTCPAndUDPSucceedAgainstServer(t *testing.T) {
	tcp, udp := startServer(t)
	for _, c := range []struct{ proto, addr string }{{"tcp", tcp}, {"udp", udp}} {
		r := Probe(context.Background(), c.proto, c.addr, 2*time.Second)
		if !r.OK || r.Error != "" || r.Reply == "" {
			t.Errorf("%s %s: want ok with a reply, got %+v", c.proto, c.addr, r)
		}
	}
}

func TestProbeFailsOnClosedPorts(t *testing.T) {
	for _, proto := range []string{"tcp", "udp"} {
		r := Probe(context.Background(), proto, closedPort(t, proto), 500*time.Millisecond)
		if r.OK || r.Error == "" {
			t.Errorf("%s: want failure, got %+v", proto, r)
		}
	}
}

func TestProbeUDPSilentDropTimesOut(t *testing.T) {
	// A socket that reads and never answers stands for a firewall that drops: no reply means failure.
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	start := time.Now()
	r := Probe(context.Background(), "udp", pc.LocalAddr().String(), 300*time.Millisecond)
	if r.OK {
		t.Fatalf("want failure without a reply, got %+v", r)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("timeout not honoured: took %v", el)
	}
}

func TestProbeRejectsBadInput(t *testing.T) {
	if r := Probe(context.Background(), "sctp", "127.0.0.1:1", time.Second); r.OK || !strings.Contains(r.Error, "sctp") {
		t.Errorf("bad protocol: %+v", r)
	}
	if r := Probe(context.Background(), "tcp", "no-port", time.Second); r.OK || !strings.Contains(r.Error, "HOST:PORT") {
		t.Errorf("bad target: %+v", r)
	}
}

func TestConnectExitCodes(t *testing.T) {
	tcp, _ := startServer(t)
	var out, errb bytes.Buffer
	if code := run([]string{"connect", "--protocol", "tcp", "--timeout", "2s", tcp}, nil, &out, &errb); code != 0 {
		t.Fatalf("open port: exit %d, out %q err %q", code, out.String(), errb.String())
	}
	if lines := strings.Count(out.String(), "\n"); lines != 1 || !strings.HasPrefix(out.String(), "ok tcp ") {
		t.Errorf("want one ok line, got %q", out.String())
	}
	out.Reset()
	if code := run([]string{"connect", "--protocol", "tcp", "--timeout", "500ms", closedPort(t, "tcp")}, nil, &out, &errb); code != 1 {
		t.Fatalf("closed port: exit %d, want 1", code)
	}
	if !strings.HasPrefix(out.String(), "fail tcp ") {
		t.Errorf("want fail line, got %q", out.String())
	}
	if code := run([]string{"connect"}, nil, &out, &errb); code != 2 {
		t.Errorf("missing target: exit %d, want 2", code)
	}
}

func TestBatchPrintsOneJSONLinePerTargetInOrder(t *testing.T) {
	tcp, udp := startServer(t)
	closed := closedPort(t, "tcp")
	in := "# comment\ntcp " + tcp + "\n\nudp " + udp + "\ntcp " + closed + "\n"
	var out, errb bytes.Buffer
	if code := run([]string{"batch", "--timeout", "1s", "--concurrency", "2"}, strings.NewReader(in), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 lines, got %q", out.String())
	}
	want := []struct {
		target string
		ok     bool
	}{{tcp, true}, {udp, true}, {closed, false}}
	for i, l := range lines {
		var r map[string]any
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d not JSON: %q", i, l)
		}
		for _, k := range []string{"target", "protocol", "ok", "ms", "error"} {
			if _, has := r[k]; !has {
				t.Errorf("line %d lacks %q: %s", i, k, l)
			}
		}
		if r["target"] != want[i].target || r["ok"] != want[i].ok {
			t.Errorf("line %d: want %s ok=%v, got %s", i, want[i].target, want[i].ok, l)
		}
	}
}

func TestBatchRunsConcurrentlyWithPerProbeTimeouts(t *testing.T) {
	// Four silent UDP targets at 400ms each: serial would take 1.6s, concurrency 4 about 0.4s.
	var targets []Target
	for i := 0; i < 4; i++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		targets = append(targets, Target{"udp", pc.LocalAddr().String()})
	}
	start := time.Now()
	res := RunBatch(context.Background(), targets, 400*time.Millisecond, 4)
	if el := time.Since(start); el > 1200*time.Millisecond {
		t.Errorf("batch not concurrent: %v", el)
	}
	for _, r := range res {
		if r.OK {
			t.Errorf("silent target reported ok: %+v", r)
		}
	}
}

func TestBatchArgsAndBadInput(t *testing.T) {
	tcp, _ := startServer(t)
	var out, errb bytes.Buffer
	if code := run([]string{"batch", "tcp", tcp}, strings.NewReader(""), &out, &errb); code != 0 || !strings.Contains(out.String(), `"ok":true`) {
		t.Fatalf("args form: exit %d out %q", code, out.String())
	}
	if code := run([]string{"batch"}, strings.NewReader("tcp\n"), &out, &errb); code != 2 {
		t.Errorf("malformed line: exit %d, want 2", code)
	}
	if code := run([]string{"batch", "tcp"}, strings.NewReader(""), &out, &errb); code != 2 {
		t.Errorf("odd args: exit %d, want 2", code)
	}
}

// A UDP path that loses the first datagram (ARP or conntrack still settling) must not read as blocked:
// the prober resends until its own timeout.
func TestUDPProbeSurvivesALostFirstDatagram(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	go func() {
		buf := make([]byte, 512)
		for seen := 0; ; seen++ {
			n, addr, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if seen == 0 {
				continue // dropped
			}
			_, _ = pc.WriteTo(append([]byte("late "), buf[:n]...), addr)
		}
	}()
	res := Probe(context.Background(), "udp", pc.LocalAddr().String(), 2*time.Second)
	if !res.OK {
		t.Fatalf("expected a reply after a resend, got error %q", res.Error)
	}
}

// A handshake that completes near the end of the timeout (SYN retransmitted while service rules settle)
// must still read the greeting, which names the pod that answered: it gets greetingWait of its own.
func TestTCPGreetingAfterTheConnectTimeoutIsStillRead(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		time.Sleep(400 * time.Millisecond)
		_, _ = conn.Write([]byte("server-1\n"))
	}()
	r := Probe(context.Background(), "tcp", ln.Addr().String(), 200*time.Millisecond)
	if !r.OK || r.Reply != "server-1" {
		t.Fatalf("want ok with reply server-1, got %+v", r)
	}
}
