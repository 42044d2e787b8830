package webhook

import (
	"testing"
	"time"

	"dakiya/internal/article"
)

// The signature of a known body, computed independently:
// printf '1764561600.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test
func TestSign(t *testing.T) {
	got := Sign("whsec_test", time.Unix(1764561600, 0), []byte(`{"id":"evt_1"}`))
	const want = "t=1764561600,v1=c5835db99eadffbbba7fc9dede6b334fd26a08061f5ffa2f723fb3b8aad57b84"
	if got != want {
		t.Fatalf("Sign = %s", got)
	}
}

func TestTypes(t *testing.T) {
	for e, want := range map[article.EventName]string{
		article.EventBooked: TypeBooked, article.EventReceivedAtDC: TypeReceived, article.EventScheduled: TypeScheduled,
		article.EventRescheduled: TypeScheduled, article.EventOutForDelivery: TypeOutForDelivery,
		article.EventDeliveryAttempted: TypeAttempted, article.EventDelivered: TypeDelivered,
		article.EventHeldAtCounter: TypeHeld, article.EventReturnedToSender: TypeReturned,
	} {
		if got, ok := TypeOf(e); !ok || got != want {
			t.Errorf("TypeOf(%s) = %q, %v", e, got, ok)
		}
	}
	if _, ok := TypeOf("teleported"); ok {
		t.Error("an unknown event has a type")
	}
	if !Wants([]string{TypeBooked}, TypePing) || !Wants([]string{All}, TypeReturned) || Wants([]string{TypeBooked}, TypeDelivered) {
		t.Error("Wants")
	}
}

func TestCursor(t *testing.T) {
	c := Cursor{CreatedAt: time.UnixMilli(1764561600123).UTC(), Seq: 31, ID: "evt_a|b"}
	got, ok := decodeCursor(encodeCursor(c))
	if !ok || *got != c {
		t.Fatalf("round trip %+v %v", got, ok)
	}
	for _, bad := range []string{"", "@@", "MTIz", encodeCursor(Cursor{ID: ""})} {
		if _, ok := decodeCursor(bad); ok {
			t.Errorf("%q decoded", bad)
		}
	}
}
