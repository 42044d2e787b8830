package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"dakiya/internal/testkit"
)

// TestShellEndToEnd runs e2e/shell.mjs: the app's shell on the throttled
// phone (a navigation during a slow load stays, a hanging connection shows
// Today from the phone's copy with a slow/offline notice within 6 s, a
// refused item shown by stop with why, in English and Hindi, a supervisor
// sent on to the console). Then it reads the server's own request log: no
// request was answered 403, and the refused articles have no outcome.
func TestShellEndToEnd(t *testing.T) {
	root := testkit.RepoRoot(t)
	node := e2eTools(t, root)
	env := demoEnv(t)
	base, requests := serveLogged(t, env)
	dispatchFirstSlot(t, base)
	phone, control := phoneNetwork(t, base)
	shots := t.TempDir()
	out := runE2E(t, node, root, "shell.mjs", phone, base, control, shots)
	var res struct {
		Manifest           string
		Refused            []string
		HangMS             int `json:"hang_ms"`
		SupervisorRequests int `json:"supervisor_requests"`
	}
	scriptResult(t, out, "E2E RESULT", &res)
	if res.Manifest == "" || len(res.Refused) == 0 {
		t.Fatalf("the script printed no complete E2E RESULT line: %+v", res)
	}
	var bySupervisor int
	for _, r := range requests() {
		if r.Status == 403 {
			t.Errorf("answered 403: %+v", r)
		}
		if r.User == "supervisor2" {
			bySupervisor++
		}
	}
	if res.SupervisorRequests == 0 || bySupervisor == 0 {
		t.Errorf("the supervisor's console made no authorised request (script saw %d, server %d)", res.SupervisorRequests, bySupervisor)
	}
	sup := login(t, base, "supervisor1")
	for _, id := range res.Refused {
		var a struct{ Status string }
		getJSON(t, base+"/api/v1/articles/"+id, sup, 200, &a)
		if a.Status != "held" {
			t.Errorf("article %s, taken off the manifest and its refused attempt discarded, is %s, want held", id, a.Status)
		}
	}
	t.Logf("hanging network: Today in %d ms; no 403 in the log; the supervisor's app made %d authorised requests", res.HangMS, bySupervisor)
	if os.Getenv("DAKIYA_SCREENSHOTS") == "1" {
		copyScreenshots(t, shots, filepath.Join(root, "docs"))
	}
}

// loggedRequest is one line of the server's request log.
type loggedRequest struct {
	Method, Path, User string
	Status             int
}

// serveLogged starts the server like startServe, keeping its request log.
func serveLogged(t *testing.T, env map[string]string) (string, func() []loggedRequest) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		_ = run(ctx, []string{"dakiya", "serve"}, func(k string) string { return env[k] }, nil, pw, io.Discard)
		pw.Close()
	}()
	var mu sync.Mutex
	var got []loggedRequest
	ready := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(pr)
		lines.Buffer(make([]byte, 64<<10), 1<<20)
		for lines.Scan() {
			var l struct {
				Msg, URL string
				loggedRequest
			}
			if json.Unmarshal(lines.Bytes(), &l) != nil {
				continue
			}
			switch l.Msg {
			case "listening":
				ready <- l.URL
			case "request":
				mu.Lock()
				got = append(got, l.loggedRequest)
				mu.Unlock()
			}
		}
		io.Copy(io.Discard, pr)
	}()
	t.Cleanup(cancel)
	url := <-ready
	return url, func() []loggedRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]loggedRequest(nil), got...)
	}
}
