package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"dakiya/internal/postal"
)

// retryAfter is what a client is told to wait when the database is down.
const retryAfter = 5 * time.Second

// SQLite result codes we classify (primary code is the low byte).
const (
	sqliteBusy       = 5
	sqliteLocked     = 6
	sqliteUnique     = 2067
	sqlitePrimaryKey = 1555
	sqliteForeignKey = 787
)

// classify wraps err with the operation's name and, where the failure has a
// meaning for clients, a postal code: a unique violation is a conflict, a
// lost or refused connection means the database is unavailable.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	wrapped := fmt.Errorf("store: %s: %w", op, err)
	switch {
	case isUnique(err):
		return postal.Wrap(wrapped, postal.CodeConflict, "already exists")
	case isForeignKey(err):
		return postal.Wrap(wrapped, postal.CodeInvalid, "refers to something that does not exist")
	case isUnavailable(err):
		return unavailable(op, err)
	}
	return wrapped
}

func unavailable(op string, err error) error {
	e := postal.Wrap(fmt.Errorf("store: %s: %w", op, err), postal.CodeUnavailable, "database unavailable")
	e.RetryAfter = retryAfter
	return e
}

func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		return lite.Code() == sqliteUnique || lite.Code() == sqlitePrimaryKey
	}
	return false
}

func isForeignKey(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		return lite.Code() == sqliteForeignKey
	}
	return false
}

func isUnavailable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// Class 08 is connection exceptions; 57P0x is the server shutting
		// down; 53300 is too many connections.
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P") || pg.Code == "53300"
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		c := lite.Code() & 0xff
		return c == sqliteBusy || c == sqliteLocked
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connect) || errors.As(err, &netErr) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, context.DeadlineExceeded) ||
		lostConnection(err)
}

// lostConnection reports the pgx errors of a connection that went away
// under a query (the database restarted, or the network between it and
// this replica was cut): the connection closed under the query, a
// timeout reading from it, or a failure pgx knows happened before anything
// was sent. A retry on another connection may succeed, so they are
// outages (503), not faults (500).
func lostConnection(err error) bool {
	return errors.Is(err, pgconn.ErrConnClosed) || pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}

// notFound is the error for a row that is not there.
func notFound(what string) error {
	return postal.Errorf(postal.CodeNotFound, "%s not found", what)
}
