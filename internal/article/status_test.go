package article

import (
	"testing"

	"dakiya/internal/postal"
)

func TestStatusMachine(t *testing.T) {
	events := []EventName{EventBooked, EventReceivedAtDC, EventScheduled, EventRescheduled, EventOutForDelivery,
		EventDeliveryAttempted, EventDelivered, EventHeldAtCounter, EventReturnedToSender}
	statuses := []Status{StatusBooked, StatusAtDC, StatusScheduled, StatusOutForDelivery, StatusAttempted,
		StatusDelivered, StatusHeld, StatusReturned}
	allowed := map[Status]map[EventName]Status{
		StatusBooked:         {EventReceivedAtDC: StatusAtDC},
		StatusAtDC:           {EventScheduled: StatusScheduled, EventHeldAtCounter: StatusHeld, EventReturnedToSender: StatusReturned},
		StatusScheduled:      {EventRescheduled: StatusScheduled, EventOutForDelivery: StatusOutForDelivery, EventHeldAtCounter: StatusHeld, EventReturnedToSender: StatusReturned},
		StatusOutForDelivery: {EventDeliveryAttempted: StatusAttempted, EventDelivered: StatusDelivered, EventHeldAtCounter: StatusHeld},
		StatusAttempted:      {EventRescheduled: StatusScheduled, EventHeldAtCounter: StatusHeld, EventReturnedToSender: StatusReturned},
		StatusHeld:           {EventRescheduled: StatusScheduled, EventDelivered: StatusDelivered, EventReturnedToSender: StatusReturned},
		StatusDelivered:      {},
		StatusReturned:       {},
	}
	for _, from := range statuses {
		for _, ev := range events {
			to, err := Next(from, ev)
			want, ok := allowed[from][ev]
			switch {
			case ok && (err != nil || to != want):
				t.Errorf("%s + %s = %s, %v; want %s", from, ev, to, err, want)
			case !ok && !postal.IsCode(err, postal.CodeConflict):
				t.Errorf("%s + %s = %s, %v; want a conflict", from, ev, to, err)
			}
		}
		if from.Terminal() != (len(allowed[from]) == 0) {
			t.Errorf("%s: Terminal() = %v", from, from.Terminal())
		}
	}
	if _, err := Next(StatusAtDC, "teleported"); !postal.IsCode(err, postal.CodeInvalid) {
		t.Errorf("unknown event: %v", err)
	}
	codes := map[EventName]string{EventBooked: "EMA", EventReceivedAtDC: "EMG", EventOutForDelivery: "EDG",
		EventDeliveryAttempted: "EMH", EventDelivered: "EMI", EventHeldAtCounter: "EDH", EventScheduled: ""}
	for ev, want := range codes {
		if got := UPUCode(ev); got != want {
			t.Errorf("UPUCode(%s) = %q, want %q", ev, got, want)
		}
	}
	for _, c := range []string{"01", "08", "09", "41"} {
		if _, ok := Reason(c); !ok {
			t.Errorf("reason %s unknown", c)
		}
	}
	for _, c := range []string{"", "04", "8", "99"} {
		if _, ok := Reason(c); ok {
			t.Errorf("reason %q accepted", c)
		}
	}
}
