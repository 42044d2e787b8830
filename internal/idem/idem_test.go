package idem_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

func TestCheckKey(t *testing.T) {
	const lower = "0b6f1f9e-3c1d-4f5e-9a7b-2c8d4e6f8a10"
	for _, k := range []string{lower, strings.ToUpper(lower), "0B6F1f9e-3C1d-4f5e-9a7b-2c8d4e6f8A10"} {
		got, err := idem.CheckKey(k)
		if err != nil || got != lower {
			t.Errorf("CheckKey(%q) = %q, %v; want %q", k, got, err, lower)
		}
	}
	for _, k := range []string{"", "not-a-uuid", lower + "0", "{" + lower + "}", strings.ReplaceAll(lower, "-", ""),
		"0b6f1f9e-3c1d-4f5e-9a7b-2c8d4e6f8a1g", " " + lower} {
		if got, err := idem.CheckKey(k); !postal.IsCode(err, postal.CodeInvalid) || got != "" {
			t.Errorf("CheckKey(%q) = %q, %v; want an invalid key", k, got, err)
		}
	}
}

func TestHash(t *testing.T) {
	base := idem.Hash("POST", "/api/v1/deliveries", []byte(`{"a":1}`))
	if base != idem.Hash("POST", "/api/v1/deliveries", []byte(`{"a":1}`)) || len(base) != 64 {
		t.Fatalf("hash is not a stable SHA-256: %q", base)
	}
	for name, h := range map[string]string{
		"method": idem.Hash("PUT", "/api/v1/deliveries", []byte(`{"a":1}`)),
		"path":   idem.Hash("POST", "/api/v1/proofs", []byte(`{"a":1}`)),
		"body":   idem.Hash("POST", "/api/v1/deliveries", []byte(`{"a":2}`)),
		"split":  idem.Hash("POST", "/api/v1/deliveries\n{", []byte(`"a":1}`)),
	} {
		if h == base {
			t.Errorf("another %s, same hash", name)
		}
	}
}

// TestFinal: finality is the error's code, not its status: already_done
// (409) and locked (423) are final, a conflict (409) is not.
func TestFinal(t *testing.T) {
	final := []postal.Code{postal.CodeInvalid, postal.CodeForbidden, postal.CodeNotFound, postal.CodeTooLarge,
		postal.CodeUnsupported, postal.CodeUnprocessable, postal.CodeLocked, postal.CodeAlreadyDone}
	transient := []postal.Code{postal.CodeConflict, postal.CodeRateLimited, postal.CodeUnavailable, postal.CodeInternal,
		postal.CodeUnauthenticated}
	for _, c := range final {
		if err := fmt.Errorf("wrapped: %w", postal.Errorf(c, "x")); !idem.Final(err) {
			t.Errorf("%s is not final", c)
		}
	}
	for _, c := range transient {
		if idem.Final(postal.Errorf(c, "x")) {
			t.Errorf("%s is final", c)
		}
	}
	if idem.Final(nil) || idem.Final(errors.New("disk on fire")) {
		t.Error("no error, or an unclassified one, is final")
	}
}

func TestReceiptComplete(t *testing.T) {
	r := idem.Receipt{Owner: "u1", Key: "k1", Status: 201}
	c, err := r.Complete(map[string]any{"id": "d1", "flags": []string{}})
	if err != nil || c.Owner != "u1" || c.Key != "k1" || c.Status != 201 || string(c.Body) != `{"flags":[],"id":"d1"}`+"\n" {
		t.Fatalf("Complete = %+v %s, %v", c, c.Body, err)
	}
	if c, err := (idem.Receipt{}).Complete(1); err != nil || c.Key != "" {
		t.Fatalf("a receipt without a key must store nothing: %+v, %v", c, err)
	}
	if _, err := r.Complete(func() {}); err == nil {
		t.Fatal("an unrenderable result must fail")
	}
}
