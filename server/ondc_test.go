package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/ondc"
)

// TestONDCServed: with a registry file and a signing key configured, the
// binary serves POST /ondc/{action}, and its outbox dispatcher delivers
// the signed on_search to the buyer app's bap_uri.
func TestONDCServed(t *testing.T) {
	env := testEnv(t)
	env["DAKIYA_OUTBOX_POLL"] = "100ms"
	ctx := context.Background()
	if out, err := runCmd(ctx, env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	base, stop, done := startServe(t, env)
	var p struct{ ID string }
	adm := login(t, base, "admin")
	postJSON(t, base+"/api/v1/partners", adm, map[string]any{"name": "Buyer App", "billing_dc": "blr-koramangala"}, 201, &p)
	postJSON(t, base+"/api/v1/partners/"+p.ID+"/keys", adm, map[string]any{"scopes": []string{"ondc"}}, 201, nil)
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	buyer, _ := ondc.NewSigner("buyer.test", "bk1", bytes.Repeat([]byte{7}, ed25519.SeedSize))
	reg, _ := json.Marshal([]ondc.Subscriber{{SubscriberID: "buyer.test", UniqueKeyID: "bk1", SigningPublicKey: buyer.PublicKey(), PartnerID: p.ID}})
	seed := bytes.Repeat([]byte{9}, ed25519.SeedSize)
	ours, _ := ondc.NewSigner("dakiya.test", "2026-12", seed)
	if os.WriteFile(filepath.Join(dir, "registry.json"), reg, 0o600) != nil ||
		os.WriteFile(filepath.Join(dir, "ondc.key"), []byte(base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600) != nil {
		t.Fatal("write")
	}
	env["DAKIYA_ONDC_REGISTRY"], env["DAKIYA_ONDC_SIGNING_KEY_FILE"] = filepath.Join(dir, "registry.json"), filepath.Join(dir, "ondc.key")
	env["DAKIYA_ONDC_SUBSCRIBER_ID"], env["DAKIYA_ONDC_UNIQUE_KEY_ID"] = "dakiya.test", "2026-12"
	trusted, _ := ondc.NewRegistry([]ondc.Subscriber{{SubscriberID: "dakiya.test", UniqueKeyID: "2026-12", SigningPublicKey: ours.PublicKey(), PartnerID: "-"}})

	var mu sync.Mutex
	var got []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_, err := ondc.Verify(trusted, r.Header.Get("Authorization"), body, time.Now())
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			got = append(got, "bad signature: "+err.Error())
		} else {
			got = append(got, r.URL.Path+" "+string(body))
		}
	}))
	defer rcv.Close()
	base, stop, done = startServe(t, env)
	defer func() { stop(); <-done }()

	mid := uuid.NewString()
	doc := map[string]any{
		"context": map[string]any{"domain": "ONDC:LOG11", "country": "IND", "city": "std:080", "action": "search", "core_version": "1.2.5",
			"bap_id": "buyer.test", "bap_uri": rcv.URL + "/bap", "transaction_id": uuid.NewString(), "message_id": mid,
			"timestamp": ondc.Stamp(time.Now()), "ttl": "PT30S"},
		"message": map[string]any{"intent": map[string]any{
			"category": map[string]any{"id": "Express Delivery"},
			"fulfillment": map[string]any{"type": "Delivery",
				"start": map[string]any{"location": map[string]any{"address": map[string]any{"area_code": "560001"}}},
				"end":   map[string]any{"location": map[string]any{"address": map[string]any{"area_code": "560034"}}}},
			"@ondc/org/payload_details": map[string]any{"weight": map[string]any{"unit": "kilogram", "value": 1.5}},
		}},
	}
	body, _ := json.Marshal(doc)
	for _, signed := range []bool{false, true} {
		req, _ := http.NewRequest("POST", base+"/ondc/search", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if signed {
			req.Header.Set("Authorization", buyer.Header(body, time.Now()))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		// development accepts an unsigned request; the signed repeat of the
		// same message is answered once (TestONDCRefusals proves it)
		if res.StatusCode != 200 || !bytes.Contains(answer, []byte(`"ACK"`)) {
			t.Fatalf("search (signed %v): %d %s", signed, res.StatusCode, answer)
		}
	}
	req, _ := http.NewRequest("POST", base+"/ondc/search", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", ours.Header(body, time.Now())) // signed, but not by buyer.test's key
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 401 {
		t.Fatalf("a badly signed request in development: %v %v", res, err)
	}
	waitUntil(t, func() bool { mu.Lock(); defer mu.Unlock(); return len(got) >= 1 })
	mu.Lock()
	defer mu.Unlock()
	if !bytes.Contains([]byte(got[0]), []byte(`/bap/on_search {"context":`)) ||
		!bytes.Contains([]byte(got[0]), []byte(`"message_id":"`+mid+`"`)) || !bytes.Contains([]byte(got[0]), []byte(`"bpp/providers"`)) {
		t.Fatalf("callbacks: %v", got)
	}
}
