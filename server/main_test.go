package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dakiya/internal/testkit"
)

// testEnv is a development configuration on a fresh SQLite file and a
// fresh local S3 server.
func testEnv(t *testing.T) map[string]string {
	t.Helper()
	s3 := testkit.S3(t)
	dir := t.TempDir()
	return map[string]string{
		"DAKIYA_ADDR": "127.0.0.1:0", "DAKIYA_DB": "sqlite:" + filepath.Join(dir, "dakiya.db"), "DAKIYA_VAR": dir,
		"DAKIYA_S3_ENDPOINT": s3.Endpoint, "DAKIYA_S3_ACCESS_KEY": s3.AccessKey, "DAKIYA_S3_SECRET_KEY": s3.SecretKey,
		"DAKIYA_S3_BUCKET":  s3.Bucket,
		"DAKIYA_DEV_OUTBOX": "1", // tests read codes from the development outbox without a token
	}
}

func runCmd(ctx context.Context, env map[string]string, stdin string, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	err := run(ctx, append([]string{"dakiya"}, args...), func(k string) string { return env[k] },
		strings.NewReader(stdin), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestCommands(t *testing.T) {
	ctx := context.Background()
	if out, err := runCmd(ctx, nil, "", "help"); err != nil || !strings.Contains(out, "migrate") {
		t.Fatalf("help: %v %s", err, out)
	}
	if _, err := runCmd(ctx, nil, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	env := testEnv(t)
	if out, err := runCmd(ctx, env, "", "migrate"); err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if _, err := runCmd(ctx, env, "short\n", "adduser", "-username", "root", "-name", "Root", "-role", "admin"); err == nil ||
		!strings.Contains(err.Error(), "password") {
		t.Fatalf("adduser with a short password: %v", err)
	}
	if out, err := runCmd(ctx, env, "a long enough password\n", "adduser", "-username", "root", "-name", "Root", "-role", "admin"); err != nil ||
		!strings.Contains(out, "created admin root") {
		t.Fatalf("adduser: %v %s", err, out)
	}
	if _, err := runCmd(ctx, env, "a long enough password\n", "adduser", "-username", "root", "-name", "Root", "-role", "admin"); err == nil {
		t.Fatal("adduser took a username twice")
	}
	prod := map[string]string{"DAKIYA_ENV": "production", "DAKIYA_SECRET_KEY": strings.Repeat("k", 40), "DAKIYA_SMS": "http",
		"DAKIYA_SMS_URL": "https://sms.example", "DAKIYA_DB": env["DAKIYA_DB"], "DAKIYA_S3_ACCESS_KEY": "a", "DAKIYA_S3_SECRET_KEY": "b"}
	if _, err := runCmd(ctx, prod, "", "demo"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("demo in production: %v", err)
	}
	if _, err := runCmd(ctx, map[string]string{"DAKIYA_ENV": "production"}, "", "serve"); err == nil {
		t.Fatal("serve started in production without a secret key")
	}
}

// TestServe is `make run` in-process: migrate, load the demo, serve, log in,
// track without logging in, and see another centre's article refused; then
// shut down while a request is still arriving, which must still be answered.
func TestServe(t *testing.T) {
	env := testEnv(t)
	ctx := context.Background()
	if out, err := runCmd(ctx, env, "", "demo"); err != nil || !strings.Contains(out, "320 articles, 4 manifests dispatched") {
		t.Fatalf("demo: %v %s", err, out)
	}
	if out, err := runCmd(ctx, env, "", "demo"); err != nil || !strings.Contains(out, "already loaded") {
		t.Fatalf("second demo: %v %s", err, out)
	}
	base, stop, done := startServe(t, env)
	checkDemoPartner(t, base, env["DAKIYA_VAR"])
	sup1 := login(t, base, "supervisor1")
	var page struct{ Items []struct{ ID string } }
	getJSON(t, base+"/api/v1/dcs/blr-koramangala/articles?limit=1", sup1, 200, &page)
	id := page.Items[0].ID
	getJSON(t, base+"/api/v1/track/"+id, "", 200, nil)
	getJSON(t, base+"/api/v1/articles/"+id, login(t, base, "supervisor2"), 404, nil)
	getJSON(t, base+"/readyz", "", 200, nil)
	// The demo sends out each centre's first slot, so a postman has work at once.
	var mine []struct{ ID, Status string }
	getJSON(t, base+"/api/v1/me/manifests", login(t, base, "postman1"), 200, &mine)
	if len(mine) != 1 || mine[0].Status != "dispatched" {
		t.Fatalf("postman1's manifests after the demo: %+v", mine)
	}
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(metrics), "go_goroutines") || !strings.Contains(string(metrics), "dakiya_http_requests_total") {
		t.Fatal("metrics lack the Go runtime or the request counter")
	}
	testGracefulShutdown(t, base, stop, done)
}

func startServe(t *testing.T, env map[string]string) (string, context.CancelFunc, chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"dakiya", "serve"}, func(k string) string { return env[k] }, nil, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		var l struct{ Msg, URL string }
		if json.Unmarshal(lines.Bytes(), &l) == nil && l.Msg == "listening" {
			go io.Copy(io.Discard, pr)
			t.Cleanup(cancel)
			return l.URL, cancel, done
		}
	}
	cancel()
	t.Fatalf("serve ended before listening: %v", <-done)
	return "", nil, nil
}

// testGracefulShutdown sends half a request, stops the server, then sends
// the rest: the request in flight must get its answer.
func testGracefulShutdown(t *testing.T, base string, stop context.CancelFunc, done chan error) {
	t.Helper()
	body := `{"username":"supervisor1","password":"dakiya-demo"}`
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", base+"/api/v1/auth/login", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = int64(len(body))
	answer := make(chan *http.Response, 1)
	go func() {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("in-flight request failed: %v", err)
		}
		answer <- res
	}()
	pw.Write([]byte(body[:10]))
	time.Sleep(200 * time.Millisecond) // let the server start reading it
	stop()
	time.Sleep(200 * time.Millisecond)
	pw.Write([]byte(body[10:]))
	pw.Close()
	if res := <-answer; res == nil || res.StatusCode != 200 {
		t.Fatalf("in-flight request after shutdown began: %v", res)
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func login(t *testing.T, base, username string) string {
	t.Helper()
	res, err := http.Post(base+"/api/v1/auth/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":"dakiya-demo"}`, username)))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if res.StatusCode != 200 || json.NewDecoder(res.Body).Decode(&s) != nil || s.AccessToken == "" {
		t.Fatalf("login %s: %d", username, res.StatusCode)
	}
	return s.AccessToken
}

func getJSON(t *testing.T, url, token string, status int, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("GET %s = %d, want %d: %s", url, res.StatusCode, status, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
}

// checkDemoPartner: the demo's partner key, kept under var/, works, and the
// partner's first booking was paid from its wallet.
func checkDemoPartner(t *testing.T, base, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "demo-partner-key"))
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimSpace(string(b))
	getJSON(t, base+"/api/v1/webhooks", key, 200, nil)
	var ps struct {
		Items []struct {
			Name        string
			WalletPaise int64 `json:"wallet_paise"`
		}
	}
	getJSON(t, base+"/api/v1/partners", login(t, base, "admin"), 200, &ps)
	if len(ps.Items) != 1 || ps.Items[0].Name != "Shree Ganesh Books" || ps.Items[0].WalletPaise <= 0 || ps.Items[0].WalletPaise >= 2_000_000 {
		t.Fatalf("demo partners: %+v", ps.Items)
	}
}
