// Command probe is clusterproof's traffic probe: with no arguments it serves TCP and UDP on ports 80 and 81;
// `probe connect` tests one target and `probe batch` tests many concurrently. Exit codes and output are the
// contract the suites read, so they stay stable: connect exits 0 exactly when the connection succeeded.
package main

import (
	"fmt"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  probe [serve] [--ports 80,81]                     serve TCP and UDP, replying with the hostname
  probe connect --protocol tcp|udp --timeout 2s HOST:PORT
  probe batch --timeout 2s --concurrency 8 [PROTO HOST:PORT ...]   (targets from args, else stdin lines)
  probe imds [--addr 169.254.169.254:80] [--timeout 2s]   what the instance metadata service hands this pod
  probe awsenv                                      the AWS identity injected into this pod (no secret values)
`

func run(args []string, stdin readerLike, stdout, stderr writerLike) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serveCmd(args, stdout, stderr)
	case "connect":
		return connectCmd(args, stdout, stderr)
	case "batch":
		return batchCmd(args, stdin, stdout, stderr)
	case "imds":
		return imdsCmd(args, stdout, stderr)
	case "awsenv":
		return awsenvCmd(stdout)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "probe: unknown command %q\n%s", cmd, usage)
		return 2
	}
}
