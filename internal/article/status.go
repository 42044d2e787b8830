package article

import "dakiya/internal/postal"

// Status is where an article is in its life.
type Status string

// The article statuses.
const (
	StatusBooked         Status = "booked"
	StatusAtDC           Status = "at_dc"
	StatusScheduled      Status = "scheduled"
	StatusOutForDelivery Status = "out_for_delivery"
	StatusAttempted      Status = "attempted"
	StatusDelivered      Status = "delivered"
	StatusHeld           Status = "held"
	StatusReturned       Status = "returned"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusBooked, StatusAtDC, StatusScheduled, StatusOutForDelivery, StatusAttempted,
		StatusDelivered, StatusHeld, StatusReturned:
		return true
	}
	return false
}

// Terminal reports whether nothing more happens to an article in status s.
func (s Status) Terminal() bool { return s == StatusDelivered || s == StatusReturned }

// EventName names a tracking event.
type EventName string

// The tracking events of DOMAIN.md.
const (
	EventBooked            EventName = "booked"
	EventReceivedAtDC      EventName = "received_at_dc"
	EventScheduled         EventName = "scheduled"
	EventRescheduled       EventName = "rescheduled"
	EventOutForDelivery    EventName = "out_for_delivery"
	EventDeliveryAttempted EventName = "delivery_attempted"
	EventDelivered         EventName = "delivered"
	EventHeldAtCounter     EventName = "held_at_counter"
	EventReturnedToSender  EventName = "returned_to_sender"
)

// rule says which statuses an event may follow and where it leads.
type rule struct {
	from []Status
	to   Status
	upu  string // the UPU EMSEVT code, for interchange
}

// rules is the status machine; booked has no "from" because it only starts
// an article.
func rules(e EventName) (rule, bool) {
	switch e {
	case EventBooked:
		return rule{nil, StatusBooked, "EMA"}, true
	case EventReceivedAtDC:
		return rule{[]Status{StatusBooked}, StatusAtDC, "EMG"}, true
	case EventScheduled:
		return rule{[]Status{StatusAtDC}, StatusScheduled, ""}, true
	case EventRescheduled:
		return rule{[]Status{StatusScheduled, StatusAttempted, StatusHeld}, StatusScheduled, ""}, true
	case EventOutForDelivery:
		return rule{[]Status{StatusScheduled}, StatusOutForDelivery, "EDG"}, true
	case EventDeliveryAttempted:
		return rule{[]Status{StatusOutForDelivery}, StatusAttempted, "EMH"}, true
	case EventDelivered:
		return rule{[]Status{StatusOutForDelivery, StatusHeld}, StatusDelivered, "EMI"}, true
	case EventHeldAtCounter:
		// From out_for_delivery when a supervisor takes it off a dispatched manifest.
		return rule{[]Status{StatusAtDC, StatusScheduled, StatusOutForDelivery, StatusAttempted}, StatusHeld, "EDH"}, true
	case EventReturnedToSender:
		return rule{[]Status{StatusAtDC, StatusScheduled, StatusAttempted, StatusHeld}, StatusReturned, ""}, true
	}
	return rule{}, false
}

// Next returns the status an article in status from moves to on event e, or
// a conflict error when the event may not happen in that status.
func Next(from Status, e EventName) (Status, error) {
	r, ok := rules(e)
	if !ok {
		return "", postal.Errorf(postal.CodeInvalid, "unknown event %q", e)
	}
	for _, f := range r.from {
		if f == from {
			return r.to, nil
		}
	}
	return "", postal.Errorf(postal.CodeConflict, "an article that is %s cannot be %s", from, e)
}

// UPUCode returns the UPU EMSEVT code of an event, or "" when it has none.
func UPUCode(e EventName) string {
	r, _ := rules(e)
	return r.upu
}

// Reason returns the text of one of India Post's non-delivery reason codes
// (DOMAIN.md), and whether the code is known.
func Reason(code string) (string, bool) {
	var r string
	switch code {
	case "01":
		r = "Door locked"
	case "02":
		r = "Addressee moved"
	case "03":
		r = "On addressee's instructions"
	case "05":
		r = "Local holiday"
	case "06":
		r = "Insufficient address"
	case "07":
		r = "Addressee cannot be located"
	case "08":
		r = "Addressee absent"
	case "09":
		r = "Refused"
	case "12":
		r = "Missed delivery"
	case "13":
		r = "Damaged"
	case "14":
		r = "No such person at the address"
	case "15":
		r = "Office closed"
	case "18":
		r = "Deceased"
	case "22":
		r = "Addressee requests own pick-up"
	case "29":
		r = "Wrong or missing PIN"
	case "41":
		r = "Based on customer request"
	}
	return r, r != ""
}
