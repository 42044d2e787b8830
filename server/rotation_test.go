package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestSecretKeyRotation runs the servers of a rotation on one database: a
// token, a queued SMS code and a recipient's slot link made under the old
// key still work once the key changed with the old one as
// DAKIYA_SECRET_KEY_PREVIOUS, and the token and the link are refused once
// the previous key is removed.
func TestSecretKeyRotation(t *testing.T) {
	env := testEnv(t)
	oldKey, newKey := strings.Repeat("o", 40), strings.Repeat("n", 40)
	env["DAKIYA_SECRET_KEY"] = oldKey
	if out, err := runCmd(context.Background(), env, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	status := func(base, tok string, path ...string) int {
		t.Helper()
		url := base + "/api/v1/me"
		if len(path) > 0 {
			url = base + path[0]
		}
		req, _ := http.NewRequest("GET", url, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	serveWith := func(current, previous string) (string, func()) {
		env["DAKIYA_SECRET_KEY"], env["DAKIYA_SECRET_KEY_PREVIOUS"] = current, previous
		base, stop, done := startServe(t, env)
		return base, func() {
			stop()
			if err := <-done; err != nil {
				t.Fatalf("serve: %v", err)
			}
		}
	}

	base, stop := serveWith(oldKey, "")
	tok := login(t, base, "supervisor1")
	codes := smsCodes(t, base)
	link := slotLink(t, codes)
	if s := status(base, "", link); s != 200 {
		t.Fatalf("the recipient's slot link before the rotation: %d", s)
	}
	stop()

	base, stop = serveWith(newKey, oldKey)
	if s := status(base, tok); s != 200 {
		t.Fatalf("the old key's token during the rotation: %d", s)
	}
	fresh := login(t, base, "supervisor1")
	if got := smsCodes(t, base); got != codes || codes == "" {
		t.Fatalf("the development outbox's codes during the rotation:\n%s\nbefore:\n%s", got, codes)
	}
	if s := status(base, "", link); s != 200 {
		t.Fatalf("the recipient's slot link made under the old key, during the rotation: %d", s)
	}
	stop()

	base, stop = serveWith(newKey, "")
	defer stop()
	if s := status(base, tok); s != 401 {
		t.Fatalf("the old key's token after the rotation: %d, want 401", s)
	}
	if s := status(base, fresh); s != 200 {
		t.Fatalf("the new key's token after the rotation: %d", s)
	}
	if s := status(base, "", link); s != 404 {
		t.Fatalf("the old key's slot link after the rotation: %d, want 404", s)
	}
}

// slotLink returns the API path of the first slot link in SMS bodies:
// /api/v1/slot-choice/{token} for a message's .../slot/{token}.
func slotLink(t *testing.T, bodies string) string {
	t.Helper()
	_, rest, ok := strings.Cut(bodies, "/slot/")
	if !ok {
		t.Fatalf("no slot link in the messages:\n%s", bodies)
	}
	tok, _, _ := strings.Cut(rest, "\n")
	tok = strings.TrimRight(strings.Fields(tok + " ")[0], ".,")
	return "/api/v1/slot-choice/" + tok
}

// smsCodes returns the development outbox's messages, codes rendered, to
// the first recipient on postman1's round who was sent a code.
func smsCodes(t *testing.T, base string) string {
	t.Helper()
	tok := login(t, base, "postman1")
	var mine []struct{ ID string }
	getJSON(t, base+"/api/v1/me/manifests", tok, 200, &mine)
	var m struct{ Stops []stop }
	getJSON(t, base+"/api/v1/manifests/"+mine[0].ID, tok, 200, &m)
	for _, st := range m.Stops {
		var out struct{ Messages []struct{ Body string } }
		getJSON(t, base+"/api/v1/dev/sms?phone="+strings.ReplaceAll(st.Phone, "+", "%2B"), "", 200, &out)
		var bodies []string
		for _, msg := range out.Messages {
			bodies = append(bodies, msg.Body)
		}
		if all := strings.Join(bodies, "\n"); strings.Contains(all, " code ") {
			return all
		}
	}
	t.Fatal("no code sent to any recipient of postman1's round")
	return ""
}
