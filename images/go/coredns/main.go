// Command coredns is CoreDNS COREDNS_VERSION with the plugins a cluster's DNS uses, not the cloud and tracing
// ones: CoreDNS's documented way to choose plugins at compile time (an external main that imports them and sets
// dnsserver.Directives). The full set pulls the AWS, Azure, Google Cloud and Datadog SDKs and took ~20 minutes
// of a cold build on two cores; this set serves every Corefile kubeadm and kind write, and the usual edits.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/any"
	_ "github.com/coredns/coredns/plugin/autopath"
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/bufsize"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/cancel"
	_ "github.com/coredns/coredns/plugin/chaos"
	_ "github.com/coredns/coredns/plugin/debug"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/file"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/header"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/k8s_external"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/local"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metadata"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/minimal"
	_ "github.com/coredns/coredns/plugin/nsid"
	_ "github.com/coredns/coredns/plugin/pprof"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/rewrite"
	_ "github.com/coredns/coredns/plugin/root"
	_ "github.com/coredns/coredns/plugin/template"
	_ "github.com/coredns/coredns/plugin/timeouts"
	_ "github.com/coredns/coredns/plugin/tls"
	_ "github.com/coredns/coredns/plugin/transfer"
	_ "github.com/coredns/coredns/plugin/whoami"
)

// directives keeps upstream's order (core/dnsserver/zdirectives.go in v1.12.1), minus the plugins not built:
// the order decides which plugin sees a query first, so it must not be changed here.
var directives = []string{
	"root", "metadata", "cancel", "tls", "timeouts", "reload", "nsid", "bufsize", "bind", "debug",
	"ready", "health", "pprof", "prometheus", "errors", "log", "local", "any", "chaos", "loadbalance",
	"cache", "rewrite", "header", "autopath", "minimal", "template", "transfer", "hosts", "k8s_external",
	"kubernetes", "file", "loop", "forward", "whoami",
}

func init() {
	dnsserver.Directives = directives
}

func main() {
	coremain.Run()
}
