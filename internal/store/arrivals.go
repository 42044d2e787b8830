package store

import (
	"context"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/forecast"
)

// countArrival adds a received_at_dc event to the arrivals rollup, in the
// transaction that records the event.
func countArrival(ctx context.Context, r runner, articleID string, e article.Event) error {
	if e.Event != article.EventReceivedAtDC {
		return nil
	}
	var dc, service, tz string
	err := r.queryRow(ctx, `SELECT a.dc_id, a.service, d.tz FROM articles a JOIN dcs d ON d.id = a.dc_id WHERE a.id = ?`,
		articleID).Scan(&dc, &service, &tz)
	if err != nil {
		return classify("count arrival", err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	at := e.At.In(loc)
	return addArrival(ctx, r, dc, forecast.Arrival{Date: at.Format(time.DateOnly), Hour: at.Hour(), Service: service, Count: 1})
}

func addArrival(ctx context.Context, r runner, dc string, a forecast.Arrival) error {
	_, err := r.exec(ctx, `INSERT INTO arrivals (dc_id, date, hour, service, count) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (dc_id, date, hour, service) DO UPDATE SET count = arrivals.count + excluded.count`,
		dc, a.Date, a.Hour, a.Service, a.Count)
	return classify("add arrival", err)
}

// ImportArrivals adds counts to a centre's rollup in one transaction:
// history brought in from elsewhere (the demo's generated year). Cells
// given twice are summed first, and rows go in batches.
func (db *DB) ImportArrivals(ctx context.Context, dc string, as []forecast.Arrival) error {
	type key struct {
		date    string
		hour    int
		service string
	}
	sum, order := map[key]int64{}, []key{}
	for _, a := range as {
		k := key{a.Date, a.Hour, a.Service}
		if _, ok := sum[k]; !ok {
			order = append(order, k)
		}
		sum[k] += a.Count
	}
	const batch = 200
	return db.inTx(ctx, "import arrivals", func(r runner) error {
		for i := 0; i < len(order); i += batch {
			part := order[i:min(i+batch, len(order))]
			rows, args := make([]string, len(part)), make([]any, 0, 5*len(part))
			for j, k := range part {
				rows[j] = "(?, ?, ?, ?, ?)"
				args = append(args, dc, k.date, k.hour, k.service, sum[k])
			}
			_, err := r.exec(ctx, `INSERT INTO arrivals (dc_id, date, hour, service, count) VALUES `+strings.Join(rows, ", ")+`
				ON CONFLICT (dc_id, date, hour, service) DO UPDATE SET count = arrivals.count + excluded.count`, args...)
			if err != nil {
				return classify("import arrivals", err)
			}
		}
		return nil
	})
}

// Arrivals returns a centre's rollup for dates from..to (inclusive), in
// date, hour and service order.
func (db *DB) Arrivals(ctx context.Context, dc, from, to string) ([]forecast.Arrival, error) {
	rows, err := db.run().query(ctx, `SELECT date, hour, service, count FROM arrivals
		WHERE dc_id = ? AND date >= ? AND date <= ? ORDER BY date, hour, service`, dc, from, to)
	if err != nil {
		return nil, classify("arrivals", err)
	}
	defer rows.Close()
	out := []forecast.Arrival{}
	for rows.Next() {
		var a forecast.Arrival
		if err := rows.Scan(&a.Date, &a.Hour, &a.Service, &a.Count); err != nil {
			return nil, classify("arrivals", err)
		}
		out = append(out, a)
	}
	return out, classify("arrivals", rows.Err())
}
