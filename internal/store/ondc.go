package store

// This file keeps ONDC orders (one per buyer app transaction) and writes
// their callbacks to the outbox in the same transaction as the change.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"dakiya/internal/article"
	"dakiya/internal/ondc"
	"dakiya/internal/outbox"
	"dakiya/internal/postal"
)

const ondcColumns = `id, partner_id, bap_id, transaction_id, bap_uri, city, stage, article_id, item_id, priced, doc, auth, created_at, updated_at`

func scanONDC(row interface{ Scan(...any) error }) (ondc.Order, error) {
	var o ondc.Order
	var art sql.NullString
	var priced, doc, auth string
	var created, updated int64
	if err := row.Scan(&o.ID, &o.PartnerID, &o.BapID, &o.TransactionID, &o.BapURI, &o.City, &o.Stage, &art,
		&o.ItemID, &priced, &doc, &auth, &created, &updated); err != nil {
		return o, err
	}
	o.ArticleID, o.CreatedAt, o.UpdatedAt = art.String, fromMS(created), fromMS(updated)
	if err := json.Unmarshal([]byte(priced), &o.Priced); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(doc), &o.Doc); err != nil {
		return o, err
	}
	if auth != "" {
		o.Auth = &ondc.Authorization{}
		if err := json.Unmarshal([]byte(auth), o.Auth); err != nil {
			return o, err
		}
	}
	return o, nil
}

func oneONDC(row *sql.Row) (ondc.Order, error) {
	o, err := scanONDC(row)
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("ondc order")
	}
	return o, classify("ondc order", err)
}

// ONDCOrder finds a buyer app's transaction.
func (db *DB) ONDCOrder(ctx context.Context, bapID, transactionID string) (ondc.Order, error) {
	return oneONDC(db.run().queryRow(ctx, "SELECT "+ondcColumns+" FROM ondc_orders WHERE bap_id = ? AND transaction_id = ?", bapID, transactionID))
}

// ONDCOrderByID finds an ONDC order by our id.
func (db *DB) ONDCOrderByID(ctx context.Context, id string) (ondc.Order, error) {
	return oneONDC(db.run().queryRow(ctx, "SELECT "+ondcColumns+" FROM ondc_orders WHERE id = ?", id))
}

// saveONDC inserts or updates o.
func saveONDC(ctx context.Context, r runner, o ondc.Order) error {
	priced, err := json.Marshal(o.Priced)
	if err != nil {
		return postal.Wrap(err, postal.CodeInternal, "ondc order")
	}
	doc, err := json.Marshal(o.Doc)
	if err != nil {
		return postal.Wrap(err, postal.CodeInternal, "ondc order")
	}
	auth := ""
	if o.Auth != nil {
		b, _ := json.Marshal(o.Auth)
		auth = string(b)
	}
	var art any
	if o.ArticleID != "" {
		art = o.ArticleID
	}
	_, err = r.exec(ctx, `INSERT INTO ondc_orders (`+ondcColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET bap_uri = excluded.bap_uri, city = excluded.city, stage = excluded.stage,
		article_id = excluded.article_id, item_id = excluded.item_id, priced = excluded.priced, doc = excluded.doc,
		auth = excluded.auth, updated_at = excluded.updated_at`,
		o.ID, o.PartnerID, o.BapID, o.TransactionID, o.BapURI, o.City, o.Stage, art, o.ItemID,
		string(priced), string(doc), auth, ms(o.CreatedAt), ms(o.UpdatedAt))
	return classify("save ondc order", err)
}

// enqueueONDC writes m as the next callback of order id.
func enqueueONDC(ctx context.Context, r runner, id string, m outbox.Message) error {
	if _, err := r.exec(ctx, "UPDATE ondc_orders SET seq = seq + 1 WHERE id = ?", id); err != nil {
		return classify("ondc seq", err)
	}
	if err := r.queryRow(ctx, "SELECT seq FROM ondc_orders WHERE id = ?", id).Scan(&m.Seq); err != nil {
		return classify("ondc seq", err)
	}
	return enqueue(ctx, r, m)
}

// SaveONDCOrder stores o and writes its callback m, in one transaction.
func (db *DB) SaveONDCOrder(ctx context.Context, o ondc.Order, m outbox.Message) error {
	return db.inTx(ctx, "save ondc order", func(r runner) error {
		if err := saveONDC(ctx, r, o); err != nil {
			return err
		}
		return enqueueONDC(ctx, r, o.ID, m)
	})
}

// BookONDC confirms o, writes its on_confirm m, books its article for o's
// partner with its first events (which write their on_status), and pays
// for it from a prepaid partner's wallet, in one transaction. A taken
// article id is a conflict; a wallet holding too little is payment
// required, with nothing stored.
func (db *DB) BookONDC(ctx context.Context, o ondc.Order, a article.Article, evs []article.Event, m outbox.Message) error {
	return db.inTx(ctx, "book ondc order", func(r runner) error {
		art := o.ArticleID
		o.ArticleID = ""
		if err := saveONDC(ctx, r, o); err != nil {
			return err
		}
		if err := enqueueONDC(ctx, r, o.ID, m); err != nil {
			return err
		}
		if out, err := insertArticle(ctx, r, a, nil); err != nil {
			return err
		} else if out != article.Created {
			return postal.Errorf(postal.CodeConflict, "article id %s is taken", a.ID)
		}
		if _, err := r.exec(ctx, "UPDATE ondc_orders SET article_id = ? WHERE id = ?", art, o.ID); err != nil {
			return classify("book ondc article", err)
		}
		if _, _, err := debitWallet(ctx, r, debit{partnerID: o.PartnerID, entryID: "ondc-" + o.ID, reference: o.ID,
			total: int64(a.PricePaise), at: a.CreatedAt, what: "this ONDC order"}); err != nil {
			return err
		}
		for _, e := range evs {
			if err := insertEvent(ctx, r, a.ID, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// CancelONDC cancels o, writes its on_cancel m, and moves its article from
// status from by e (returned to sender), in one transaction.
func (db *DB) CancelONDC(ctx context.Context, o ondc.Order, from article.Status, e article.Event, m outbox.Message) error {
	return db.inTx(ctx, "cancel ondc order", func(r runner) error {
		if err := saveONDC(ctx, r, o); err != nil {
			return err
		}
		if err := enqueueONDC(ctx, r, o.ID, m); err != nil {
			return err
		}
		res, err := r.exec(ctx, "UPDATE articles SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
			string(e.Status), ms(e.At), o.ArticleID, string(from))
		if err != nil {
			return classify("cancel ondc article", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return postal.Errorf(postal.CodeConflict, "the article is no longer %s", from)
		}
		return insertEvent(ctx, r, o.ArticleID, e)
	})
}

// ONDCTracking returns an article, its events, its proofs' ids and the
// cash collected at its delivery.
func (db *DB) ONDCTracking(ctx context.Context, articleID string) (article.Article, []article.Event, []string, *ondc.Collected, error) {
	a, err := db.Article(ctx, articleID)
	if err != nil {
		return a, nil, nil, nil, err
	}
	evs, err := db.Events(ctx, articleID)
	if err != nil {
		return a, nil, nil, nil, err
	}
	proofs := []string{}
	rows, err := db.run().query(ctx, "SELECT id FROM proofs WHERE article_id = ? ORDER BY created_at, id", articleID)
	if err != nil {
		return a, nil, nil, nil, classify("ondc proofs", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return a, nil, nil, nil, classify("ondc proofs", err)
		}
		proofs = append(proofs, id)
	}
	if err := rows.Err(); err != nil {
		return a, nil, nil, nil, classify("ondc proofs", err)
	}
	var c ondc.Collected
	var ref string
	var at int64
	err = db.run().queryRow(ctx, `SELECT id, cod_paise, upi_ref, captured_at FROM deliveries
		WHERE article_id = ? AND outcome = 'delivered' AND cod_paise > 0 ORDER BY created_at DESC LIMIT 1`, articleID).Scan(&c.Ref, &c.Paise, &ref, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, evs, proofs, nil, nil
	}
	if err != nil {
		return a, nil, nil, nil, classify("ondc cod", err)
	}
	if ref != "" {
		c.Ref = ref
	}
	c.At = fromMS(at)
	return a, evs, proofs, &c, nil
}
