package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestConsolePartners runs e2e/console-partners.mjs: in the console's
// partner pages the admin adds a partner, makes an API key (its secret
// shown once), sees the key's usage after the script uses it, pings the
// partner's webhook receiver and sends the ping again from the delivery
// log, revokes the key, tops up the wallet, makes and pays a remittance
// statement (in Hindi) and uploads a tariff (a wrong file refused row by
// row first); a supervisor sees no partner pages. Then it checks through
// the API what the browser changed.
func TestConsolePartners(t *testing.T) {
	var res struct {
		Partner, Key, Prefix, Webhook, Ping string
		Pings                               int
		Topup                               struct{ Paise int64 }
		CODPartner                          string `json:"cod_partner"`
		Remittance, UTR, Tariff             string
		Problems                            int
	}
	run := runConsole(t, "console-partners.mjs", func(base string, env map[string]string) {
		dispatchFirstSlot(t, base)
		t.Setenv("PARTNERS_E2E", seedPartnerCOD(t, base, env))
	}, &res)
	if res.Partner == "" || res.Remittance == "" || res.Tariff == "" {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkPartnerChanges(t, run.base, res.Partner, res.Key, res.Webhook, res.Ping, res.Topup.Paise)
	checkRemittance(t, run.base, res.CODPartner, res.Remittance, res.UTR, res.Tariff)
	if res.Pings != 2 || res.Problems < 2 {
		t.Errorf("the receiver got the ping %d times (want 2); the wrong tariff had %d problems (want 2 or more)", res.Pings, res.Problems)
	}
	for _, r := range run.requests() {
		if r.User == "supervisor1" && r.Status == 403 {
			t.Errorf("the supervisor's console asked for something refused: %+v", r)
		}
	}
	t.Logf("server side: partner %s, key %s… revoked after use, wallet %d paise, statement %s paid (%s), tariff %s",
		res.Partner, res.Prefix, res.Topup.Paise, res.Remittance, res.UTR, res.Tariff)
	run.keepScreenshots(t)
}

// checkPartnerChanges reads back, as the admin, what the browser changed.
func checkPartnerChanges(t *testing.T, base, partnerID, keyID, webhookID, pingID string, paise int64) {
	t.Helper()
	adm := login(t, base, "admin")
	var keys struct {
		Items []struct {
			ID        string
			Uses      int64
			RevokedAt *string `json:"revoked_at"`
			LastUsed  *string `json:"last_used_at"`
		}
	}
	getJSON(t, base+"/api/v1/partners/"+partnerID+"/keys", adm, 200, &keys)
	if len(keys.Items) != 1 || keys.Items[0].ID != keyID || keys.Items[0].RevokedAt == nil || keys.Items[0].Uses < 1 || keys.Items[0].LastUsed == nil {
		t.Errorf("the partner's keys are %+v; want %s, used and revoked", keys.Items, keyID)
	}
	var wallet struct {
		Balance int64 `json:"balance_paise"`
		Entries []struct{ Kind string }
	}
	getJSON(t, base+"/api/v1/partners/"+partnerID+"/wallet", adm, 200, &wallet)
	if wallet.Balance != paise || len(wallet.Entries) != 1 || wallet.Entries[0].Kind != "topup" {
		t.Errorf("the wallet is %+v; want %d paise from one top-up", wallet, paise)
	}
	var log struct {
		Items []struct {
			ID, State string
			Attempts  int
		}
	}
	getJSON(t, base+"/api/v1/webhooks/"+webhookID+"/deliveries", adm, 200, &log)
	if len(log.Items) != 1 || log.Items[0].ID != pingID || log.Items[0].State != "delivered" || log.Items[0].Attempts < 2 {
		t.Errorf("the delivery log is %+v; want the ping %s delivered twice", log.Items, pingID)
	}
}

// checkRemittance reads back the statement the browser made and paid for
// the seeded partner, and the tariff it uploaded.
func checkRemittance(t *testing.T, base, partnerID, remitID, utr, tariff string) {
	t.Helper()
	adm := login(t, base, "admin")
	var st struct {
		PartnerID string `json:"partner_id"`
		State     string
		BankRef   string `json:"bank_ref"`
		Lines     []struct {
			ArticleID string `json:"article_id"`
		}
	}
	getJSON(t, base+"/api/v1/remittances/"+remitID, adm, 200, &st)
	if st.PartnerID != partnerID || st.State != "paid" || st.BankRef != utr || len(st.Lines) != 1 {
		t.Errorf("the statement is %+v; want paid with %s", st, utr)
	}
	getJSON(t, base+"/api/v1/tariffs/"+tariff, adm, 200, nil)
}

// codStop is a stop of a manifest as GET /manifests/{id} lists it.
type codStop struct {
	Phone    string
	Articles []struct {
		ID          string
		CODPaise    int64 `json:"cod_paise"`
		OTPRequired bool  `json:"otp_required"`
	}
}

// seedPartnerCOD makes a partner whose COD money was collected yesterday,
// so that a statement can be made for it and paid: the partner is added
// through the API, a postman delivers a COD article of the dispatched slot
// through the API, paid by UPI with its UTR; then, as the demo has no past,
// the article is made the partner's (as a booking would) and the delivery
// is moved to yesterday in the database (the server has no clock to turn).
// It returns the partner's id.
func seedPartnerCOD(t *testing.T, base string, env map[string]string) string {
	t.Helper()
	adm, sup := login(t, base, "admin"), login(t, base, "supervisor1")
	var p struct{ ID string }
	postJSON(t, base+"/api/v1/partners", adm, map[string]any{"name": "Sahyadri Books", "billing_dc": "blr-koramangala",
		"remittance": map[string]string{"account": "50100123456789", "ifsc": "HDFC0000240"}}, 201, &p)
	var list []struct{ ID, Status string }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/manifests", sup, 200, &manifestPage{Items: &list})
	for _, m := range list {
		if m.Status != "dispatched" {
			continue
		}
		var man struct {
			PostmanID string `json:"postman_id"`
			Stops     []codStop
		}
		getJSON(t, base+"/api/v1/manifests/"+m.ID, sup, 200, &man)
		for _, st := range man.Stops {
			for _, a := range st.Articles {
				if a.CODPaise > 0 {
					deliverByUPI(t, base, sup, man.PostmanID, st.Phone, a.ID, a.CODPaise, a.OTPRequired)
					backdate(t, env, p.ID, a.ID)
					return p.ID
				}
			}
		}
	}
	t.Fatal("no COD article on a dispatched manifest")
	return ""
}

// deliverByUPI has the article's postman deliver it, paid by UPI with a UTR.
func deliverByUPI(t *testing.T, base, sup, postmanID, phone, articleID string, paise int64, otp bool) {
	t.Helper()
	var users struct {
		Items []struct{ ID, Username string }
	}
	getJSON(t, base+"/api/v1/users?dc_id=blr-koramangala", sup, 200, &users)
	var tok string
	for _, u := range users.Items {
		if u.ID == postmanID {
			tok = login(t, base, u.Username)
		}
	}
	body := map[string]any{"article_id": articleID, "outcome": "delivered", "captured_at": time.Now().Format(time.RFC3339),
		"cod": map[string]any{"mode": "upi", "amount_paise": paise, "upi_ref": "412345678901"}}
	if otp {
		body["otp"] = smsCode(t, base, phone, articleID)
	}
	postJSONKeyed(t, base+"/api/v1/deliveries", tok, body)
}

// postJSONKeyed posts body with an Idempotency-Key and wants 201.
func postJSONKeyed(t *testing.T, url, tok string, body any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	var v map[string]any
	doReviewRequest(t, req, 201, &v)
}

// backdate makes the article the partner's and moves its delivery to the
// day before today at the centre, in the server's SQLite database.
func backdate(t *testing.T, env map[string]string, partnerID, articleID string) {
	t.Helper()
	path, ok := strings.CutPrefix(env["DAKIYA_DB"], "sqlite:")
	if !ok {
		t.Fatalf("the browser tests run on SQLite, not %q", env["DAKIYA_DB"])
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `UPDATE articles SET partner_id = ? WHERE id = ?`, partnerID, articleID); err != nil {
		t.Fatal(err)
	}
	var day string
	if err := db.QueryRowContext(ctx, `SELECT date FROM deliveries WHERE article_id = ? AND outcome = 'delivered'`, articleID).Scan(&day); err != nil {
		t.Fatal(err)
	}
	ist, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now().In(ist).AddDate(0, 0, -1).Format(time.DateOnly) // yesterday at the centre
	if _, err := db.ExecContext(ctx, `UPDATE deliveries SET date = ? WHERE article_id = ?`, before, articleID); err != nil {
		t.Fatal(err)
	}
	t.Logf("article %s: delivered by UPI, the partner %s's, moved from %s to %s", articleID, partnerID, day, before)
}
