//go:build tools

// Package tools keeps the etcd commands' dependencies in go.mod for `go mod tidy`.
package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3/ctlv2"
	_ "go.etcd.io/etcd/etcdctl/v3/ctlv3"
	_ "go.etcd.io/etcd/etcdutl/v3/etcdutl"
	_ "go.etcd.io/etcd/server/v3/etcdmain"
)
