package cod

import (
	"testing"

	"dakiya/internal/postal"
)

func TestUPIURI(t *testing.T) {
	got := UPIURI("koramangala.dc@ippb", "Koramangala DC", postal.Paise(49950), "COD EE123456785IN", "EE123456785IN")
	want := "upi://pay?pa=koramangala.dc@ippb&pn=Koramangala%20DC&am=499.50&cu=INR&tn=COD%20EE123456785IN&tr=EE123456785IN"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if u := UPIURI("a&b@x", "x=y", 100, "n", "r"); u != "upi://pay?pa=a%26b@x&pn=x%3Dy&am=1.00&cu=INR&tn=n&tr=r" {
		t.Fatalf("escaping: %s", u)
	}
}
