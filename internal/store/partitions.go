package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// partitionLock is the PostgreSQL advisory lock key that keeps replicas
// maintaining partitions from doing it at once.
const partitionLock = 0x64616b6970617274 // "dakipart"

// partitioned describes one table partitioned by month on PostgreSQL: how
// a month's bounds are written for its key and how a row's month is read.
type partitioned struct {
	table string
	// key is the partition key column.
	key string
	// bounds returns the partition's FROM and TO values for the month
	// starting at m (UTC).
	bounds func(m time.Time) (any, any)
	// monthOf is SQL giving a row's month as YYYY-MM, from its key.
	monthOf string
}

var partitionedTables = []partitioned{
	{
		table: "deliveries",
		key:   "date",
		bounds: func(m time.Time) (any, any) {
			return m.Format(time.DateOnly), m.AddDate(0, 1, 0).Format(time.DateOnly)
		},
		monthOf: "substr(date, 1, 7)",
	},
	{
		table: "article_events",
		key:   "at",
		bounds: func(m time.Time) (any, any) {
			return m.UnixMilli(), m.AddDate(0, 1, 0).UnixMilli()
		},
		monthOf: "to_char(to_timestamp(at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')",
	},
}

// PartitionReport tells what one round of partition maintenance did.
type PartitionReport struct {
	// Created names the month partitions created, e.g. deliveries_y2026m12.
	Created []string
	// Moved counts the rows moved out of DEFAULT partitions into their month.
	Moved int64
	// Dropped names the month partitions detached and dropped for age.
	Dropped []string
}

// monthStart is the first instant of t's month, UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func partitionName(table string, m time.Time) string {
	return fmt.Sprintf("%s_y%04dm%02d", table, m.Year(), int(m.Month()))
}

// EnsurePartitions makes sure that each partitioned table has a partition
// for now's month and the monthsAhead months after it, and one for every
// month that has rows waiting in its DEFAULT partition, moving those rows
// into it. It holds a transaction-scoped advisory lock, so replicas running
// it together take turns and the later ones find the work done. On SQLite,
// which is not partitioned, it does nothing.
func (db *DB) EnsurePartitions(ctx context.Context, now time.Time, monthsAhead int) (PartitionReport, error) {
	var rep PartitionReport
	if db.dialect != Postgres {
		return rep, nil
	}
	if monthsAhead < 0 {
		return rep, fmt.Errorf("store: partitions: months ahead %d is negative", monthsAhead)
	}
	err := db.inTx(ctx, "partitions", func(x runner) error {
		if _, err := x.exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(partitionLock)); err != nil {
			return classify("partitions: lock", err)
		}
		for _, p := range partitionedTables {
			months, err := waitingMonths(ctx, x, p)
			if err != nil {
				return err
			}
			first := monthStart(now)
			for i := 0; i <= monthsAhead; i++ {
				months[first.AddDate(0, i, 0)] = true
			}
			for _, m := range sortedMonths(months) {
				created, moved, err := ensureMonth(ctx, x, p, m)
				if err != nil {
					return err
				}
				if created {
					rep.Created = append(rep.Created, partitionName(p.table, m))
				}
				rep.Moved += moved
			}
		}
		return nil
	})
	return rep, err
}

// waitingMonths lists the months that have rows in p's DEFAULT partition.
func waitingMonths(ctx context.Context, x runner, p partitioned) (map[time.Time]bool, error) {
	rows, err := x.query(ctx, "SELECT DISTINCT "+p.monthOf+" FROM "+p.table+"_default")
	if err != nil {
		return nil, classify("partitions: waiting months", err)
	}
	defer rows.Close()
	out := map[time.Time]bool{}
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			return nil, classify("partitions: waiting months", err)
		}
		// A key that names no month (it should not happen) stays in DEFAULT.
		if m, err := time.Parse("2006-01", s.String); err == nil {
			out[m] = true
		}
	}
	return out, classify("partitions: waiting months", rows.Err())
}

func sortedMonths(set map[time.Time]bool) []time.Time {
	out := make([]time.Time, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// ensureMonth creates p's partition for month m unless it exists: a table
// shaped like the parent, filled with the month's rows taken out of the
// DEFAULT partition, then attached (attaching builds its indexes and gives
// it the parent's triggers, after the rows are in, so moving them does not
// write their keys again).
func ensureMonth(ctx context.Context, x runner, p partitioned, m time.Time) (bool, int64, error) {
	name := partitionName(p.table, m)
	var exists bool
	if err := x.queryRow(ctx, "SELECT to_regclass(?) IS NOT NULL", name).Scan(&exists); err != nil {
		return false, 0, classify("partitions: look up "+name, err)
	}
	if exists {
		return false, 0, nil
	}
	from, to := p.bounds(m)
	key := p.key
	stmts := []struct {
		q    string
		args []any
	}{
		{"CREATE TABLE " + name + " (LIKE " + p.table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", nil},
		{"WITH moved AS (DELETE FROM " + p.table + "_default WHERE " + key + " >= ? AND " + key + " < ? RETURNING *) " +
			"INSERT INTO " + name + " SELECT * FROM moved", []any{from, to}},
	}
	var moved int64
	for i, s := range stmts {
		res, err := x.exec(ctx, s.q, s.args...)
		if err != nil {
			return false, 0, classify("partitions: "+name, err)
		}
		if i == 1 {
			moved, _ = res.RowsAffected()
		}
	}
	// Bounds are literals: ATTACH PARTITION takes no parameters.
	attach := fmt.Sprintf("ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%s) TO (%s)",
		p.table, name, literal(from), literal(to))
	if _, err := x.exec(ctx, attach); err != nil {
		return false, 0, classify("partitions: attach "+name, err)
	}
	return true, moved, nil
}

// literal writes a bound as SQL: a number as is, a date (digits and dashes
// made by this file) quoted.
func literal(v any) string {
	if s, ok := v.(string); ok {
		return "'" + s + "'"
	}
	return fmt.Sprint(v)
}

// DropPartitionsBefore detaches and drops the month partitions of every
// partitioned table whose month ended more than keepMonths whole months
// before now's month; keepMonths < 1 keeps everything. The outcomes' keys
// stay in delivery_keys, so what refers to an old outcome (proofs,
// reviews, remittances) stays valid and an assignment still has at most
// one outcome. On SQLite it does nothing.
func (db *DB) DropPartitionsBefore(ctx context.Context, now time.Time, keepMonths int) ([]string, error) {
	if db.dialect != Postgres || keepMonths < 1 {
		return nil, nil
	}
	oldest := monthStart(now).AddDate(0, -keepMonths, 0)
	var dropped []string
	err := db.inTx(ctx, "drop partitions", func(x runner) error {
		if _, err := x.exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(partitionLock)); err != nil {
			return classify("partitions: lock", err)
		}
		for _, p := range partitionedTables {
			names, err := monthPartitions(ctx, x, p.table)
			if err != nil {
				return err
			}
			for _, n := range names {
				var m time.Time
				var y, mo int
				if _, err := fmt.Sscanf(n[len(p.table):], "_y%04dm%02d", &y, &mo); err != nil {
					continue
				}
				m = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
				if !m.Before(oldest) {
					continue
				}
				for _, q := range []string{"ALTER TABLE " + p.table + " DETACH PARTITION " + n, "DROP TABLE " + n} {
					if _, err := x.exec(ctx, q); err != nil {
						return classify("partitions: drop "+n, err)
					}
				}
				dropped = append(dropped, n)
			}
		}
		return nil
	})
	return dropped, err
}

// monthPartitions lists the partitions attached to table, by name.
func monthPartitions(ctx context.Context, x runner, table string) ([]string, error) {
	rows, err := x.query(ctx, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = to_regclass(?) ORDER BY c.relname`, table)
	if err != nil {
		return nil, classify("partitions: list", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, classify("partitions: list", err)
		}
		out = append(out, n)
	}
	return out, classify("partitions: list", rows.Err())
}

// Partitions lists the partitions of each partitioned table with the rows
// each holds, for the partitions command and tests; nil on SQLite.
func (db *DB) Partitions(ctx context.Context) (map[string]int64, error) {
	if db.dialect != Postgres {
		return nil, nil
	}
	out := map[string]int64{}
	x := db.run()
	for _, p := range partitionedTables {
		names, err := monthPartitions(ctx, x, p.table)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			var c int64
			if err := x.queryRow(ctx, "SELECT COUNT(*) FROM "+n).Scan(&c); err != nil {
				return nil, classify("partitions: count "+n, err)
			}
			out[n] = c
		}
	}
	return out, nil
}
