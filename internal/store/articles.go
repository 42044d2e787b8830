package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"dakiya/internal/article"
	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

const articleColumns = `id, dc_id, service, recipient_name, recipient_phone, address, pin, lat, lon, digipin,
	cod_paise, slot_preference, status, sched_date, sched_slot, beat_id, content_hash, created_at, updated_at, beat_override,
	partner_id, booking_id, price_paise, cod_fee_paise`

func scanArticle(row interface{ Scan(...any) error }) (article.Article, error) {
	var r articleScan
	if err := row.Scan(r.dest()...); err != nil {
		return article.Article{}, err
	}
	return r.article(), nil
}

// articleScan is articleColumns as scanned.
type articleScan struct {
	a                                                article.Article
	lat, lon                                         sql.NullFloat64
	date, slot, beat, override, partnerID, bookingID sql.NullString
	cod, created, updated, price, codFee             int64
	service, pref, status                            string
}

func (r *articleScan) dest() []any {
	a := &r.a
	return []any{&a.ID, &a.DCID, &r.service, &a.Recipient.Name, &a.Recipient.Phone, &a.Recipient.Address,
		&a.Recipient.PIN, &r.lat, &r.lon, &a.DIGIPIN, &r.cod, &r.pref, &r.status, &r.date, &r.slot, &r.beat,
		&a.ContentHash, &r.created, &r.updated, &r.override, &r.partnerID, &r.bookingID, &r.price, &r.codFee}
}

func (r *articleScan) article() article.Article {
	a := r.a
	a.Service, a.SlotPreference, a.Status = postal.Service(r.service), postal.Slot(r.pref), article.Status(r.status)
	a.CODPaise, a.BeatID, a.BeatOverride = postal.Paise(r.cod), r.beat.String, r.override.String
	a.CreatedAt, a.UpdatedAt = fromMS(r.created), fromMS(r.updated)
	a.PartnerID, a.BookingID, a.PricePaise, a.CODFeePaise = r.partnerID.String, r.bookingID.String, postal.Paise(r.price), postal.Paise(r.codFee)
	if r.lat.Valid && r.lon.Valid {
		lat, lon := r.lat.Float64, r.lon.Float64
		a.Recipient.Lat, a.Recipient.Lon = &lat, &lon
	}
	if r.date.Valid && r.slot.Valid {
		a.Schedule = &article.Schedule{Date: r.date.String, Slot: postal.Slot(r.slot.String)}
	}
	return a
}

// InsertArticles stores new articles, their first events and their
// notices in one transaction. An id already stored is left alone: Unchanged when its
// content is the same, Clash when it differs.
func (db *DB) InsertArticles(ctx context.Context, as []article.Article, events [][]article.Event, notes []notify.Message) ([]article.Outcome, error) {
	out := make([]article.Outcome, len(as))
	err := db.inTx(ctx, "insert articles", func(r runner) error {
		for i, a := range as {
			o, err := insertArticle(ctx, r, a, events[i])
			if err != nil {
				return err
			}
			out[i] = o
			if o == article.Created && len(notes) > i {
				if _, err := insertSMS(ctx, r, notes[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// insertArticle stores an article, with the partner that booked it (if
// any) written before its events, so that emitEvent finds it.
func insertArticle(ctx context.Context, r runner, a article.Article, evs []article.Event) (article.Outcome, error) {
	var sd, ss, beat, partnerID, bookingID any
	if a.PartnerID != "" {
		partnerID, bookingID = a.PartnerID, a.BookingID
	}
	if a.Schedule != nil {
		sd, ss = a.Schedule.Date, string(a.Schedule.Slot)
	}
	if a.BeatID != "" {
		beat = a.BeatID
	}
	res, err := r.exec(ctx, `INSERT INTO articles (`+articleColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		a.ID, a.DCID, string(a.Service), a.Recipient.Name, a.Recipient.Phone, a.Recipient.Address, a.Recipient.PIN,
		a.Recipient.Lat, a.Recipient.Lon, a.DIGIPIN, int64(a.CODPaise), string(a.SlotPreference), string(a.Status),
		sd, ss, beat, a.ContentHash, ms(a.CreatedAt), ms(a.UpdatedAt), partnerID, bookingID, int64(a.PricePaise), int64(a.CODFeePaise))
	if err != nil {
		return 0, classify("insert article", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return existing(ctx, r, a)
	}
	for _, e := range evs {
		if err := insertEvent(ctx, r, a.ID, e); err != nil {
			return 0, err
		}
	}
	return article.Created, nil
}

// existing decides what a second booking of a stored id is.
func existing(ctx context.Context, r runner, a article.Article) (article.Outcome, error) {
	var dc, hash string
	if err := r.queryRow(ctx, "SELECT dc_id, content_hash FROM articles WHERE id = ?", a.ID).Scan(&dc, &hash); err != nil {
		return 0, classify("existing article", err)
	}
	if dc == a.DCID && hash == a.ContentHash {
		return article.Unchanged, nil
	}
	return article.Clash, nil
}

func insertEvent(ctx context.Context, r runner, id string, e article.Event) error {
	_, err := r.exec(ctx, `INSERT INTO article_events (article_id, seq, event, status, at, place, reason_code, actor_id, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, e.Seq, string(e.Event), string(e.Status), ms(e.At), e.Place, e.ReasonCode, e.ActorID, e.Note)
	if err != nil {
		return classify("insert event", err)
	}
	if err := countArrival(ctx, r, id, e); err != nil {
		return err
	}
	return emitEvent(ctx, r, id, e)
}

// Article returns one article.
func (db *DB) Article(ctx context.Context, id string) (article.Article, error) {
	a, err := scanArticle(db.run().queryRow(ctx, "SELECT "+articleColumns+" FROM articles WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return article.Article{}, notFound("article")
	}
	return a, classify("article", err)
}

// Events returns an article's tracking events in order.
func (db *DB) Events(ctx context.Context, id string) ([]article.Event, error) {
	rows, err := db.run().query(ctx, `SELECT seq, event, status, at, place, reason_code, actor_id, note
		FROM article_events WHERE article_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, classify("events", err)
	}
	defer rows.Close()
	out := []article.Event{}
	for rows.Next() {
		var e article.Event
		var name, status string
		var at int64
		if err := rows.Scan(&e.Seq, &name, &status, &at, &e.Place, &e.ReasonCode, &e.ActorID, &e.Note); err != nil {
			return nil, classify("events", err)
		}
		e.Event, e.Status, e.At = article.EventName(name), article.Status(status), fromMS(at)
		e.Code = article.UPUCode(e.Event)
		out = append(out, e)
	}
	return out, classify("events", rows.Err())
}

// ListArticles returns a page of a centre's articles in id order.
func (db *DB) ListArticles(ctx context.Context, dc string, f article.Filter) ([]article.Article, error) {
	where, args := []string{"dc_id = ?"}, []any{dc}
	cond := func(ok bool, clause string, v any) {
		if ok {
			where, args = append(where, clause), append(args, v)
		}
	}
	cond(f.Status != "", "status = ?", string(f.Status))
	cond(f.Date != "", "sched_date = ?", f.Date)
	cond(f.Slot != "", "sched_slot = ?", string(f.Slot))
	cond(f.BeatID != "", "beat_id = ?", f.BeatID)
	cond(f.Flag != "", `(SELECT ',' || d.flags || ',' FROM deliveries d WHERE d.article_id = articles.id
		ORDER BY d.created_at DESC, d.id DESC LIMIT 1) LIKE ? ESCAPE '\'`, "%,"+escapeLike(f.Flag)+",%")
	if f.Search != nil {
		clause, sargs := searchClause(*f.Search)
		where, args = append(where, clause), append(args, sargs...)
	}
	cond(f.After != "", "id > ?", f.After)
	args = append(args, f.Limit)
	rows, err := db.run().query(ctx, "SELECT "+articleColumns+" FROM articles WHERE "+
		strings.Join(where, " AND ")+" ORDER BY id LIMIT ?", args...)
	if err != nil {
		return nil, classify("list articles", err)
	}
	return collectArticles(rows)
}

// searchClause matches an article on any part of s that is set: its id's
// start, its phone's last digits or a part of its recipient's name. LIKE
// is case-sensitive on PostgreSQL and not on SQLite, so both sides of the
// name are lower-cased (SQLite folds ASCII letters only).
func searchClause(s article.Search) (string, []any) {
	ors, args := []string{"LOWER(recipient_name) LIKE ? ESCAPE '\\'"}, []any{"%" + escapeLike(s.Name) + "%"}
	if s.IDPrefix != "" {
		ors, args = append(ors, "id LIKE ? ESCAPE '\\'"), append(args, escapeLike(s.IDPrefix)+"%")
	}
	if s.PhoneSuffix != "" {
		ors, args = append(ors, "recipient_phone LIKE ? ESCAPE '\\'"), append(args, "%"+escapeLike(s.PhoneSuffix))
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// AppendEvent records e and moves the article from status from to
// e.Status, with its schedule if one is given, in one transaction; a
// conflict if it is no longer in from. Leaving out_for_delivery ends the
// article's custody.
func (db *DB) AppendEvent(ctx context.Context, id string, from article.Status, e article.Event, sched *article.Schedule) error {
	return db.inTx(ctx, "append event", func(r runner) error { return appendEvent(ctx, r, id, from, e, sched) })
}

// appendEvent is AppendEvent inside a caller's transaction.
func appendEvent(ctx context.Context, r runner, id string, from article.Status, e article.Event, sched *article.Schedule) error {
	if from == article.StatusOutForDelivery && e.Status != from {
		// Whatever takes an article off the street ends its custody. It
		// goes first, before the article's row, the order in which an
		// outcome takes the two locks, so the two never deadlock; a
		// refused move below rolls it back.
		if err := endCustody(ctx, r, id, endedBy(e.Event), e.At); err != nil {
			return err
		}
	}
	q, args := "UPDATE articles SET status = ?, updated_at = ?", []any{string(e.Status), ms(e.At)}
	if sched != nil {
		q, args = q+", sched_date = ?, sched_slot = ?", append(args, sched.Date, string(sched.Slot))
	}
	res, err := r.exec(ctx, q+" WHERE id = ? AND status = ?", append(args, id, string(from))...)
	if err != nil {
		return classify("move article", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Errorf(postal.CodeConflict, "the article changed meanwhile; reload and try again")
	}
	if err := r.queryRow(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM article_events WHERE article_id = ?", id).Scan(&e.Seq); err != nil {
		return classify("next event seq", err)
	}
	return insertEvent(ctx, r, id, e)
}
