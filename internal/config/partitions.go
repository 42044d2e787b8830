package config

import (
	"fmt"
	"strconv"
)

// Partitions tunes the monthly partitions of outcomes and tracking events
// on PostgreSQL (SQLite has none and ignores it).
type Partitions struct {
	// MonthsAhead is how many months after the current one have their
	// partitions made in advance (DAKIYA_PARTITION_MONTHS_AHEAD, default 2).
	MonthsAhead int
	// KeepMonths is how many whole months before the current one are kept;
	// older month partitions are detached and dropped. 0, the default,
	// keeps everything (DAKIYA_PARTITION_KEEP_MONTHS).
	KeepMonths int
}

func loadPartitions(env func(k, def string) string) (Partitions, error) {
	var err error
	num := func(k, def string, lo, hi int) int {
		raw := env(k, def)
		v, e := strconv.Atoi(raw)
		if e != nil || v < lo || v > hi {
			err = fmt.Errorf("%s %q must be a whole number from %d to %d", k, raw, lo, hi)
		}
		return v
	}
	p := Partitions{
		MonthsAhead: num("DAKIYA_PARTITION_MONTHS_AHEAD", "2", 1, 24),
		KeepMonths:  num("DAKIYA_PARTITION_KEEP_MONTHS", "0", 0, 1200),
	}
	return p, err
}
