package main

import (
	"testing"
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
		Remittance, UTR, Tariff             string
		Problems                            int
	}
	run := runConsole(t, "console-partners.mjs", nil, &res)
	if res.Partner == "" || res.Remittance == "" || res.Tariff == "" {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	checkPartnerChanges(t, run.base, res.Partner, res.Key, res.Webhook, res.Ping, res.Topup.Paise, res.Remittance, res.UTR, res.Tariff)
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
func checkPartnerChanges(t *testing.T, base, partnerID, keyID, webhookID, pingID string, paise int64, remitID, utr, tariff string) {
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
	var st struct {
		PartnerID string `json:"partner_id"`
		State     string
		BankRef   string `json:"bank_ref"`
	}
	getJSON(t, base+"/api/v1/remittances/"+remitID, adm, 200, &st)
	if st.PartnerID != partnerID || st.State != "paid" || st.BankRef != utr {
		t.Errorf("the statement is %+v; want paid with %s", st, utr)
	}
	getJSON(t, base+"/api/v1/tariffs/"+tariff, adm, 200, nil)
}
