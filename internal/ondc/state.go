package ondc

// This file maps Dakiya's tracking events to ONDC fulfillment states
// (DOMAIN.md, "Tracking events") and those to order states.

import "dakiya/internal/article"

// The fulfillment states we emit.
const (
	StatePending     = "Pending"
	StateAtHub       = "At-destination-hub"
	StateOutFor      = "Out-for-delivery"
	StateFailed      = "Delivery-failed"
	StateRescheduled = "Delivery-rescheduled"
	StateDelivered   = "Order-delivered"
	StateCancelled   = "Cancelled"
	StateRTO         = "RTO-Initiated"
)

// States lists every fulfillment state we emit.
func States() []string {
	return []string{StatePending, StateAtHub, StateOutFor, StateFailed, StateRescheduled, StateDelivered, StateCancelled, StateRTO}
}

// EventState is the fulfillment state an article event puts an ONDC order
// in, or "" when the event has none (held at the counter).
func EventState(e article.EventName) string {
	switch e {
	case article.EventBooked:
		return StatePending
	case article.EventReceivedAtDC, article.EventScheduled:
		return StateAtHub
	case article.EventRescheduled:
		return StateRescheduled
	case article.EventOutForDelivery:
		return StateOutFor
	case article.EventDeliveryAttempted:
		return StateFailed
	case article.EventDelivered:
		return StateDelivered
	case article.EventReturnedToSender:
		return StateRTO
	}
	return ""
}

// StatusState is the fulfillment state of an article in status st.
func StatusState(st article.Status) string {
	switch st {
	case article.StatusBooked:
		return StatePending
	case article.StatusAtDC, article.StatusScheduled, article.StatusHeld:
		return StateAtHub
	case article.StatusOutForDelivery:
		return StateOutFor
	case article.StatusAttempted:
		return StateFailed
	case article.StatusDelivered:
		return StateDelivered
	case article.StatusReturned:
		return StateRTO
	}
	return StatePending
}

// orderState is the order's state while its fulfillment is in state fs.
func orderState(fs string) string {
	switch fs {
	case StatePending:
		return "Accepted"
	case StateDelivered:
		return "Completed"
	case StateCancelled, StateRTO:
		return "Cancelled"
	}
	return "In-progress"
}
