package config

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Retention defaults (DPDP Act, 2023).
const (
	DefaultRetentionDays      = 90
	DefaultProofRetentionDays = 400
	// DefaultAuditRetentionDays is also the least: the DPDP Rules, 2025
	// ask for a year of the logs of access to personal data.
	DefaultAuditRetentionDays = 365
	maxRetentionDays          = 3650
)

// Retention says how long personal data and proofs are kept.
type Retention struct {
	// Personal is how long after an article's final status its
	// recipient's name, phone and address are kept
	// (DAKIYA_RETENTION_DAYS, 1 to 3650; 90).
	Personal time.Duration
	// Proofs is how long a proof is kept, under object lock where the
	// bucket supports it (DAKIYA_PROOF_RETENTION_DAYS, 1 to 3650; 400).
	Proofs time.Duration
	// Audit is how long an audit log entry is kept
	// (DAKIYA_AUDIT_RETENTION_DAYS, 365 to 3650; 365).
	Audit time.Duration
}

// loadRetention reads DAKIYA_RETENTION_DAYS, DAKIYA_PROOF_RETENTION_DAYS
// and DAKIYA_AUDIT_RETENTION_DAYS.
func loadRetention(env func(k, def string) string) (Retention, error) {
	days := func(name string, least, def int) (time.Duration, error) {
		raw := env(name, strconv.Itoa(def))
		n, err := strconv.Atoi(raw)
		if err != nil || n < least || n > maxRetentionDays {
			return 0, fmt.Errorf("%s %q must be a whole number of days from %d to %d", name, raw, least, maxRetentionDays)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	p, err1 := days("DAKIYA_RETENTION_DAYS", 1, DefaultRetentionDays)
	q, err2 := days("DAKIYA_PROOF_RETENTION_DAYS", 1, DefaultProofRetentionDays)
	a, err3 := days("DAKIYA_AUDIT_RETENTION_DAYS", DefaultAuditRetentionDays, DefaultAuditRetentionDays)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Retention{}, err
	}
	return Retention{Personal: p, Proofs: q, Audit: a}, nil
}
