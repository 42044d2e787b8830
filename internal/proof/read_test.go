package proof_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/proof"
)

func TestReadStopsAtTheKindsLimit(t *testing.T) {
	svc := proof.New(nil, nil, time.Now, nil, proof.Options{Limits: proof.Limits{Photo: 100 << 10, Signature: 2 << 10}})
	if got := svc.Limits(); got.Photo != 100<<10 || got.Signature != 2<<10 {
		t.Fatalf("Limits = %+v", got)
	}
	for _, c := range []struct {
		kind proof.Kind
		size int
		ok   bool
	}{
		{proof.KindPhoto, 0, true},
		{proof.KindPhoto, 100 << 10, true},
		{proof.KindPhoto, 100<<10 + 1, false},
		{proof.KindPhoto, 3 << 20, false},
		{proof.KindSignature, 2 << 10, true},
		{proof.KindSignature, 2<<10 + 1, false},
	} {
		data := bytes.Repeat([]byte{7}, c.size)
		got, err := svc.Read(c.kind, iotest.HalfReader(bytes.NewReader(data)))
		switch {
		case c.ok && (err != nil || !bytes.Equal(got, data)):
			t.Errorf("%s of %d bytes: %d bytes, %v", c.kind, c.size, len(got), err)
		case !c.ok && !postal.IsCode(err, postal.CodeTooLarge):
			t.Errorf("%s of %d bytes: %v, want too large", c.kind, c.size, err)
		}
	}
	broken := errors.New("connection reset")
	if _, err := svc.Read(proof.KindPhoto, iotest.ErrReader(broken)); !errors.Is(err, broken) || postal.IsCode(err, postal.CodeTooLarge) {
		t.Fatalf("a failing reader: %v", err)
	}
	if def := proof.New(nil, nil, time.Now, nil, proof.Options{}).Limits(); def != proof.DefaultLimits() {
		t.Fatalf("zero limits = %+v, want the defaults", def)
	}
	if _, err := proof.ParseKind(strings.ToUpper("photo")); !postal.IsCode(err, postal.CodeInvalid) {
		t.Fatalf("ParseKind(PHOTO) = %v, want invalid", err)
	}
}
