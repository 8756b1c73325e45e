//go:build tools

// Package tools keeps CoreDNS's dependencies (all default plugins) in go.mod for `go mod tidy`.
package tools

import (
	_ "github.com/coredns/coredns/core/plugin"
	_ "github.com/coredns/coredns/coremain"
)
