package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

func connectCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("connect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	protocol := fs.String("protocol", "tcp", "tcp or udp")
	timeout := fs.Duration("timeout", 2*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "probe connect: exactly one HOST:PORT is required")
		return 2
	}
	r := Probe(context.Background(), *protocol, fs.Arg(0), *timeout)
	if r.OK {
		fmt.Fprintf(stdout, "ok %s %s %dms reply=%q\n", r.Protocol, r.Target, r.Ms, r.Reply)
		return 0
	}
	fmt.Fprintf(stdout, "fail %s %s %dms error=%q\n", r.Protocol, r.Target, r.Ms, r.Error)
	return 1
}

// Target is one `PROTO HOST:PORT` line of a batch.
type Target struct{ Protocol, Addr string }

// ParseTargets reads `PROTO HOST:PORT` lines (blank lines and # comments skipped).
func ParseTargets(r io.Reader) ([]Target, error) {
	var out []Target
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 2 {
			return nil, fmt.Errorf("line %d: want `PROTO HOST:PORT`, got %q", line, text)
		}
		out = append(out, Target{Protocol: strings.ToLower(f[0]), Addr: f[1]})
	}
	return out, sc.Err()
}

// RunBatch probes every target with at most concurrency in flight; results come back in input order.
func RunBatch(ctx context.Context, targets []Target, timeout time.Duration, concurrency int) []Result {
	if concurrency < 1 {
		concurrency = 1
	}
	results := make([]Result, len(targets))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = Probe(ctx, t.Protocol, t.Addr, timeout)
		}()
	}
	wg.Wait()
	return results
}

func batchCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 2*time.Second, "per-probe timeout")
	concurrency := fs.Int("concurrency", 16, "probes in flight at once")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var targets []Target
	var err error
	if fs.NArg() > 0 {
		if fs.NArg()%2 != 0 {
			fmt.Fprintln(stderr, "probe batch: arguments must be pairs of PROTO HOST:PORT")
			return 2
		}
		targets, err = ParseTargets(strings.NewReader(pairsToLines(fs.Args())))
	} else {
		targets, err = ParseTargets(stdin)
	}
	if err != nil {
		fmt.Fprintf(stderr, "probe batch: %v\n", err)
		return 2
	}
	enc := json.NewEncoder(stdout)
	for _, r := range RunBatch(context.Background(), targets, *timeout, *concurrency) {
		if err := enc.Encode(r); err != nil {
			fmt.Fprintf(stderr, "probe batch: %v\n", err)
			return 1
		}
	}
	// The batch itself succeeded; per-target outcomes are in the JSON lines.
	return 0
}

func pairsToLines(args []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(args); i += 2 {
		b.WriteString(args[i] + " " + args[i+1] + "\n")
	}
	return b.String()
}
