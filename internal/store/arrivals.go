package store

import (
	"context"
	"time"

	"dakiya/internal/article"
)

// Arrival is a count of articles received at a centre in one hour of one
// date (in the centre's zone) for one service.
type Arrival struct {
	Date    string `json:"date"`
	Hour    int    `json:"hour"`
	Service string `json:"service"`
	Count   int64  `json:"count"`
}

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
	return addArrival(ctx, r, dc, Arrival{Date: at.Format(time.DateOnly), Hour: at.Hour(), Service: service, Count: 1})
}

func addArrival(ctx context.Context, r runner, dc string, a Arrival) error {
	_, err := r.exec(ctx, `INSERT INTO arrivals (dc_id, date, hour, service, count) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (dc_id, date, hour, service) DO UPDATE SET count = arrivals.count + excluded.count`,
		dc, a.Date, a.Hour, a.Service, a.Count)
	return classify("add arrival", err)
}

// ImportArrivals adds counts to a centre's rollup in one transaction:
// history brought in from elsewhere (the demo's generated year).
func (db *DB) ImportArrivals(ctx context.Context, dc string, as []Arrival) error {
	return db.inTx(ctx, "import arrivals", func(r runner) error {
		for _, a := range as {
			if err := addArrival(ctx, r, dc, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// Arrivals returns a centre's rollup for dates from..to (inclusive), in
// date, hour and service order.
func (db *DB) Arrivals(ctx context.Context, dc, from, to string) ([]Arrival, error) {
	rows, err := db.run().query(ctx, `SELECT date, hour, service, count FROM arrivals
		WHERE dc_id = ? AND date >= ? AND date <= ? ORDER BY date, hour, service`, dc, from, to)
	if err != nil {
		return nil, classify("arrivals", err)
	}
	defer rows.Close()
	out := []Arrival{}
	for rows.Next() {
		var a Arrival
		if err := rows.Scan(&a.Date, &a.Hour, &a.Service, &a.Count); err != nil {
			return nil, classify("arrivals", err)
		}
		out = append(out, a)
	}
	return out, classify("arrivals", rows.Err())
}
