//go:build tools

// Package tools pins the local servers that development and tests start:
// the Versity S3 Gateway (Apache-2.0), an S3 server that checks request
// signatures the way MinIO does.
package tools

import _ "github.com/versity/versitygw/cmd/versitygw"
