package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"dakiya/internal/postal"
)

// TestClassifyLostConnection: the errors pgx returns when the connection to
// PostgreSQL goes away under a query are outages (503 with Retry-After),
// never unclassified faults (500).
func TestClassifyLostConnection(t *testing.T) {
	lost := map[string]error{
		"conn closed":      fmt.Errorf("query: %w", pgconn.ErrConnClosed),
		"unexpected EOF":   fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		"EOF":              fmt.Errorf("receive message: %w", io.EOF),
		"reset by peer":    fmt.Errorf("read: %w", syscall.ECONNRESET),
		"broken pipe":      fmt.Errorf("write: %w", syscall.EPIPE),
		"refused":          fmt.Errorf("dial: %w", syscall.ECONNREFUSED),
		"deadline":         fmt.Errorf("query: %w", context.DeadlineExceeded),
		"admin shutdown":   &pgconn.PgError{Code: "57P01"},
		"connection class": &pgconn.PgError{Code: "08006"},
	}
	for name, err := range lost {
		got := classify("insert delivery", err)
		if postal.ErrorCode(got) != postal.CodeUnavailable {
			t.Errorf("%s: classified as %q (%v), want unavailable", name, postal.ErrorCode(got), got)
		}
		if !errors.Is(got, err) {
			t.Errorf("%s: the cause is not kept: %v", name, got)
		}
	}
	for name, err := range map[string]error{
		"unique":          &pgconn.PgError{Code: "23505"},
		"syntax":          &pgconn.PgError{Code: "42601"},
		"a plain failure": errors.New("something else"),
	} {
		if postal.ErrorCode(classify("insert delivery", err)) == postal.CodeUnavailable {
			t.Errorf("%s: classified as unavailable", name)
		}
	}
}
