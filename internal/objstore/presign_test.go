package objstore_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dakiya/internal/objstore"
	"dakiya/internal/postal"
)

// fetch GETs u with a plain HTTP client, as a supervisor's browser would.
func fetch(t *testing.T, u string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp.StatusCode, body
}

func TestPresignGet(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	data := []byte("proof image bytes")
	put(t, st, "proofs/a.jpg", data)
	put(t, st, "proofs/b.jpg", []byte("another proof"))
	u, err := st.PresignGet(t.Context(), "proofs/a.jpg", objstore.MaxPresignTTL)
	if err != nil {
		t.Fatalf("PresignGet: %v", err)
	}

	t.Run("fetches the exact bytes", func(t *testing.T) {
		status, body := fetch(t, u.String())
		if status != http.StatusOK || !bytes.Equal(body, data) {
			t.Fatalf("GET = %d %q, want 200 %q", status, body, data)
		}
	})
	tampered := map[string]func(*url.URL){
		"signature": func(u *url.URL) {
			q := u.Query()
			sig := q.Get("X-Amz-Signature")
			q.Set("X-Amz-Signature", sig[:len(sig)-1]+flipHex(sig[len(sig)-1]))
			u.RawQuery = q.Encode()
		},
		"key": func(u *url.URL) { u.Path = strings.Replace(u.Path, "/a.jpg", "/b.jpg", 1) },
	}
	for name, tamper := range tampered {
		t.Run("tampered "+name+" is refused", func(t *testing.T) {
			bad := *u
			tamper(&bad)
			if bad.String() == u.String() {
				t.Fatal("tampering left the URL unchanged")
			}
			status, body := fetch(t, bad.String())
			if status != http.StatusForbidden || !bytes.Contains(body, []byte("SignatureDoesNotMatch")) {
				t.Fatalf("GET tampered = %d %s, want 403 SignatureDoesNotMatch", status, body)
			}
		})
	}
}

func flipHex(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

func TestPresignGetTTL(t *testing.T) {
	t.Parallel()
	st, err := objstore.New(objstore.Config{Endpoint: "http://127.0.0.1:1", AccessKey: "a", SecretKey: "s", Bucket: "proofs"})
	if err != nil {
		t.Fatal(err)
	}
	for _, ttl := range []time.Duration{0, -time.Second, 500 * time.Millisecond, 5*time.Minute + time.Second, 6 * time.Minute} {
		t.Run(ttl.String(), func(t *testing.T) {
			_, err := st.PresignGet(t.Context(), "proofs/a.jpg", ttl)
			wantCode(t, err, postal.CodeInvalid)
		})
	}
	for _, ttl := range []time.Duration{time.Second, objstore.MaxPresignTTL} {
		if _, err := st.PresignGet(t.Context(), "proofs/a.jpg", ttl); err != nil {
			t.Errorf("PresignGet(%s): %v", ttl, err)
		}
	}
}

// The gateway's clock enforces expiry, so this test has to wait it out.
func TestPresignGetExpires(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	put(t, st, "proofs/a.jpg", []byte("short-lived"))
	u, err := st.PresignGet(t.Context(), "proofs/a.jpg", time.Second)
	if err != nil {
		t.Fatalf("PresignGet: %v", err)
	}
	time.Sleep(2100 * time.Millisecond)
	if status, body := fetch(t, u.String()); status != http.StatusForbidden || !bytes.Contains(body, []byte("expired")) {
		t.Fatalf("GET expired = %d %s, want 403 saying it expired", status, body)
	}
}
