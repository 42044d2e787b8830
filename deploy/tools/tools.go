//go:build tools

// Package tools pins the local servers and checkers that development and
// tests run: the Versity S3 Gateway (Apache-2.0), an S3 server that checks
// request signatures the way MinIO does; govulncheck (BSD-3-Clause); and
// indexdb from golang.org/x/vulndb, whose module also carries the Go
// vulnerability database's OSV entries, so the database is pinned and comes
// through the module proxy like any other module (deploy/vulncheck.sh);
// kubeconform (Apache-2.0), which checks deploy/k8s against the schemas in
// deploy/k8s/schemas (written by ./k8sschema), and ./deploycheck, which
// checks the Dockerfile (BuildKit's parser, Apache-2.0) and the compose file
// (compose-go, Apache-2.0) (deploy/deploycheck.sh).
package tools

import (
	_ "github.com/versity/versitygw/cmd/versitygw"
	_ "github.com/yannh/kubeconform/cmd/kubeconform"
	_ "golang.org/x/vuln/cmd/govulncheck"
	_ "golang.org/x/vulndb/cmd/indexdb"
)
