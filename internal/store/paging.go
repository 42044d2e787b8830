package store

import (
	"math"
	"strings"
)

// keyset is the condition and arguments that continue a list after the
// sort key of a page's last row: cols are the ORDER BY columns, each with
// " DESC" when descending, and after their values (nil: from the start).
// With an index on the columns it reads only the page's rows, however
// deep the page: no OFFSET.
func keyset(after []any, cols ...string) (string, []any) {
	if after == nil {
		return "1 = 1", nil
	}
	ors, args := make([]string, len(cols)), []any{}
	for i := range cols {
		ands := []string{}
		for j := 0; j < i; j++ {
			name, _ := strings.CutSuffix(cols[j], " DESC")
			ands, args = append(ands, name+" = ?"), append(args, after[j])
		}
		name, desc := strings.CutSuffix(cols[i], " DESC")
		op := " > ?"
		if desc {
			op = " < ?"
		}
		ands, args = append(ands, name+op), append(args, after[i])
		ors[i] = "(" + strings.Join(ands, " AND ") + ")"
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// rowLimit is a query's LIMIT: every row for a negative limit.
func rowLimit(limit int) int {
	if limit < 0 {
		return math.MaxInt32
	}
	return limit
}
