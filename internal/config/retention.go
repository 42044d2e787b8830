package config

import (
	"fmt"
	"strconv"
	"time"
)

// Retention defaults (DPDP Act, 2023).
const (
	DefaultRetentionDays      = 90
	DefaultProofRetentionDays = 400
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
}

// loadRetention reads DAKIYA_RETENTION_DAYS and DAKIYA_PROOF_RETENTION_DAYS.
func loadRetention(env func(k, def string) string) (Retention, error) {
	days := func(name string, def int) (time.Duration, error) {
		raw := env(name, strconv.Itoa(def))
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxRetentionDays {
			return 0, fmt.Errorf("%s %q must be a whole number of days from 1 to %d", name, raw, maxRetentionDays)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	p, err1 := days("DAKIYA_RETENTION_DAYS", DefaultRetentionDays)
	q, err2 := days("DAKIYA_PROOF_RETENTION_DAYS", DefaultProofRetentionDays)
	if err1 != nil {
		return Retention{}, err1
	}
	return Retention{Personal: p, Proofs: q}, err2
}
