package httpapi_test

import (
	"io/fs"
	"strings"
	"testing"

	"dakiya/internal/delivery"
	"dakiya/internal/otp"
	"dakiya/pwa"
)

// TestReviewFlagWords checks that the console's review queue says every
// flag the server can set in words, in English and Hindi: a title and a
// reason, looked up by literal keys (so TestLocalesMatch sees them).
func TestReviewFlagWords(t *testing.T) {
	flags := []string{otp.FlagMismatch, otp.FlagBypassed, delivery.FlagFar, delivery.FlagMissingProof, delivery.FlagClockSkew,
		delivery.FlagCODShort, delivery.FlagNoLocation, delivery.FlagUPIUnconfirmed, delivery.FlagStaleFix}
	code, err := fs.ReadFile(pwa.Files(), "console/rev-item.js")
	if err != nil {
		t.Fatal(err)
	}
	books := map[string]string{}
	for _, l := range []string{"en", "hi"} {
		b, err := fs.ReadFile(pwa.Files(), "console/locales/"+l+".js")
		if err != nil {
			t.Fatal(err)
		}
		books[l] = string(b)
	}
	for _, f := range flags {
		want := f + ": () => [t('rev.flag." + f + "'), t('rev.flag." + f + ".why')]"
		if !strings.Contains(string(code), want) {
			t.Errorf("console/rev-item.js does not put flag %s in words (want %q)", f, want)
		}
		for l, b := range books {
			for _, k := range []string{"'rev.flag." + f + "':", "'rev.flag." + f + ".why':"} {
				if !strings.Contains(b, k) {
					t.Errorf("console/locales/%s.js lacks %s", l, k)
				}
			}
		}
	}
}
