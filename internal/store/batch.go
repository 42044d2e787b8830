package store

import (
	"context"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/manifest"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// Batched writes: what a manifest's dispatch or amendment does to each of
// its articles is said in a few statements for all of them, so the round
// trips to the database do not grow with the manifest.

// maxParams bounds the placeholders of one statement, well under both
// SQLite's (32766) and PostgreSQL's (65535) limits.
const maxParams = 30000

// maxIn is the most values one IN (…) list holds.
const maxIn = 1000

// marks returns n placeholders separated by commas.
func marks(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// inChunks calls fn with ids in slices of at most maxIn, in order.
func inChunks(ids []string, fn func(chunk []string) error) error {
	for len(ids) > 0 {
		n := min(len(ids), maxIn)
		if err := fn(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// anys turns strings into statement arguments.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// insertRows inserts rows of cols values each with multi-row VALUES
// statements: head is "INSERT INTO t (a, b)", tail what follows the
// values (an ON CONFLICT clause, or "").
func insertRows(ctx context.Context, x runner, op, head string, cols int, rows [][]any, tail string) error {
	per := max(1, maxParams/cols)
	row := "(" + marks(cols) + ")"
	for len(rows) > 0 {
		n := min(len(rows), per)
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, n*cols)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
			args = append(args, r...)
		}
		b.WriteString(" ")
		b.WriteString(tail)
		if _, err := x.exec(ctx, b.String(), args...); err != nil {
			return classify(op, err)
		}
		rows = rows[n:]
	}
	return nil
}

// appendEvents is appendEvent for many articles moving from one status
// with one event: it moves them all or, if any is no longer in from,
// none (a conflict).
func appendEvents(ctx context.Context, x runner, ids []string, from article.Status, e article.Event, sched *article.Schedule) error {
	if len(ids) == 0 {
		return nil
	}
	if from == article.StatusOutForDelivery && e.Status != from {
		if err := endCustodies(ctx, x, ids, endedBy(e.Event), e.At); err != nil {
			return err
		}
	}
	set, setArgs := "UPDATE articles SET status = ?, updated_at = ?", []any{string(e.Status), ms(e.At)}
	if sched != nil {
		set, setArgs = set+", sched_date = ?, sched_slot = ?", append(setArgs, sched.Date, string(sched.Slot))
	}
	type next struct {
		seq     int
		partner *string
	}
	nexts := make(map[string]next, len(ids))
	err := inChunks(ids, func(chunk []string) error {
		args := append(append(append([]any{}, setArgs...), anys(chunk)...), string(from))
		res, err := x.exec(ctx, set+" WHERE id IN ("+marks(len(chunk))+") AND status = ?", args...)
		if err != nil {
			return classify("move articles", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != int64(len(chunk)) {
			return postal.Errorf(postal.CodeConflict, "an article changed meanwhile; reload and try again")
		}
		// Read after the move, which holds the articles' rows, so no other
		// event of theirs can take the next seq meanwhile.
		rows, err := x.query(ctx, `SELECT a.id, a.partner_id, COALESCE(MAX(e.seq), 0) FROM articles a
			LEFT JOIN article_events e ON e.article_id = a.id WHERE a.id IN (`+marks(len(chunk))+`)
			GROUP BY a.id, a.partner_id`, anys(chunk)...)
		if err != nil {
			return classify("next event seqs", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var nx next
			if err := rows.Scan(&id, &nx.partner, &nx.seq); err != nil {
				return classify("next event seqs", err)
			}
			nx.seq++
			nexts[id] = nx
		}
		return classify("next event seqs", rows.Err())
	})
	if err != nil {
		return err
	}
	rows := make([][]any, len(ids))
	for i, id := range ids {
		rows[i] = []any{id, nexts[id].seq, string(e.Event), string(e.Status), ms(e.At), e.Place, e.ReasonCode, e.ActorID, e.Note}
	}
	if err := insertRows(ctx, x, "insert events",
		"INSERT INTO article_events (article_id, seq, event, status, at, place, reason_code, actor_id, note)", 9, rows, ""); err != nil {
		return err
	}
	// An arrival's count is rare and stays per article; what the events of
	// partner-booked articles owe is written for all of them at once.
	var owed []partnerEvent
	for _, id := range ids {
		ev := e
		ev.Seq = nexts[id].seq
		if err := countArrival(ctx, x, id, ev); err != nil {
			return err
		}
		if p := nexts[id].partner; p != nil {
			owed = append(owed, partnerEvent{partner: *p, article: id, event: ev})
		}
	}
	return emitPartnerEvents(ctx, x, owed)
}

// endCustodies is endCustody for many articles.
func endCustodies(ctx context.Context, x runner, ids []string, by string, at time.Time) error {
	return inChunks(ids, func(chunk []string) error {
		args := append([]any{ms(at), by}, anys(chunk)...)
		if _, err := x.exec(ctx, "UPDATE custody SET ended_at = ?, ended_by = ? WHERE article_id IN ("+marks(len(chunk))+
			") AND ended_at IS NULL", args...); err != nil {
			return classify("end custody", err)
		}
		_, err := x.exec(ctx, "UPDATE custody_history SET ended_at = ?, ended_by = ? WHERE article_id IN ("+marks(len(chunk))+
			") AND ended_at IS NULL", args...)
		return classify("end custody: history", err)
	})
}

// startCustodies is startCustody for many articles of one manifest.
func startCustodies(ctx context.Context, x runner, ids []string, r manifest.Record, at time.Time) error {
	rows := make([][]any, len(ids))
	for i, id := range ids {
		a := r.Assignments[id]
		if a == "" {
			return postal.Errorf(postal.CodeInternal, "no assignment for article %s", id)
		}
		rows[i] = []any{id, a, r.ID, r.PostmanID, r.DCID, ms(at), nil, ""}
	}
	if err := insertRows(ctx, x, "start custody",
		"INSERT INTO custody (article_id, assignment_id, manifest_id, postman_id, dc_id, since, ended_at, ended_by)", 8, rows,
		`ON CONFLICT (article_id) DO UPDATE SET assignment_id = excluded.assignment_id, manifest_id = excluded.manifest_id,
			postman_id = excluded.postman_id, dc_id = excluded.dc_id, since = excluded.since, ended_at = NULL, ended_by = ''`); err != nil {
		return err
	}
	for i := range rows {
		rows[i][0], rows[i][1] = rows[i][1], rows[i][0]
	}
	return insertRows(ctx, x, "start custody: history",
		"INSERT INTO custody_history (assignment_id, article_id, manifest_id, postman_id, dc_id, since, ended_at, ended_by)", 8,
		rows, "")
}

// storeCodes stores new recipient codes and queues their SMS, one per
// code, in three statements for all of them.
func storeCodes(ctx context.Context, x runner, codes []otp.Issued, at time.Time) error {
	if len(codes) == 0 {
		return nil
	}
	var groups, members, sms [][]any
	for _, c := range codes {
		st := c.State
		groups = append(groups, []any{st.GroupID, st.Sealed, st.Counter, 0, 0, ms(st.ExpiresAt), st.Check, ms(at)})
		for _, id := range c.Articles {
			members = append(members, []any{id, st.GroupID, nil, ms(at)})
		}
		m := c.SMS
		sms = append(sms, []any{m.ID, m.Phone, m.Body, smsNull(m.Sealed), m.Kind, smsNull(m.ArticleID), smsNull(m.DedupeKey),
			"queued", 0, ms(m.CreatedAt), ms(m.CreatedAt)})
	}
	if err := insertRows(ctx, x, "insert otp group", `INSERT INTO otp_groups (id, sealed_seed, counter, resends, attempts, expires_at,
		check_value, updated_at)`, 8, groups, ""); err != nil {
		return err
	}
	if err := insertRows(ctx, x, "insert otp", "INSERT INTO otp_articles (article_id, group_id, consumed_at, updated_at)", 4, members,
		"ON CONFLICT (article_id) DO UPDATE SET group_id = excluded.group_id, consumed_at = NULL, updated_at = excluded.updated_at"); err != nil {
		return err
	}
	return insertRows(ctx, x, "insert sms", `INSERT INTO sms (id, phone, body, sealed, kind, article_id, dedupe_key,
		status, attempts, next_attempt_at, created_at)`, 11, sms, "ON CONFLICT (dedupe_key) DO NOTHING")
}

// ArticlesByID returns the articles of ids that exist, by id, reading a
// thousand at a time.
func (db *DB) ArticlesByID(ctx context.Context, ids []string) (map[string]article.Article, error) {
	out := make(map[string]article.Article, len(ids))
	err := inChunks(ids, func(chunk []string) error {
		rows, err := db.run().query(ctx, "SELECT "+articleColumns+" FROM articles WHERE id IN ("+marks(len(chunk))+")", anys(chunk)...)
		if err != nil {
			return classify("articles", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanArticle(rows)
			if err != nil {
				return classify("articles", err)
			}
			out[a.ID] = a
		}
		return classify("articles", rows.Err())
	})
	return out, err
}
