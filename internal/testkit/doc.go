// Package testkit holds test helpers: real SQLite and PostgreSQL databases, a
// real local S3 server, a settable clock and fixture builders.
package testkit
