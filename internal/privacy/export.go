package privacy

import (
	"context"
	"strconv"
	"time"

	"dakiya/internal/postal"
)

// Export is everything held about one phone number, for a data
// principal's request.
type Export struct {
	Phone       string        `json:"phone"`
	GeneratedAt time.Time     `json:"generated_at"`
	Articles    []HeldArticle `json:"articles"`
	// Messages are the SMS sent or queued to the phone (OTP sends, slot
	// links), bodies as stored: a code is never stored in clear.
	Messages []HeldMessage `json:"messages"`
}

// HeldArticle is one article addressed to the phone, with what hangs on it.
type HeldArticle struct {
	ID            string         `json:"id"`
	DCID          string         `json:"dc_id"`
	Service       string         `json:"service"`
	RecipientName string         `json:"recipient_name"`
	Address       string         `json:"address"`
	PIN           string         `json:"pin"`
	DIGIPIN       string         `json:"digipin,omitempty"`
	Lat           *float64       `json:"lat,omitempty"`
	Lon           *float64       `json:"lon,omitempty"`
	Status        string         `json:"status"`
	BookingID     string         `json:"booking_id,omitempty"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
	Events        []HeldEvent    `json:"events"`
	Deliveries    []HeldDelivery `json:"deliveries"`
	Proofs        []HeldProof    `json:"proofs"`
	// OTPSends is how many codes were sent for the article (its SMS of
	// kind otp are among Messages); OTPUsedAt when its delivery used one.
	OTPSends  int        `json:"otp_sends"`
	OTPUsedAt *time.Time `json:"otp_used_at,omitempty"`
}

// HeldEvent is one tracking event.
type HeldEvent struct {
	Seq        int       `json:"seq"`
	Event      string    `json:"event"`
	Status     string    `json:"status"`
	At         time.Time `json:"at"`
	Place      string    `json:"place"`
	ReasonCode string    `json:"reason_code,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// HeldDelivery is one delivery outcome at the door.
type HeldDelivery struct {
	ID            string    `json:"id"`
	Outcome       string    `json:"outcome"`
	ReasonCode    string    `json:"reason_code,omitempty"`
	ReceivedBy    string    `json:"received_by,omitempty"`
	EvidenceType  string    `json:"evidence_type,omitempty"`
	EvidenceLast4 string    `json:"evidence_last4,omitempty"`
	Lat           *float64  `json:"lat,omitempty"`
	Lon           *float64  `json:"lon,omitempty"`
	CapturedAt    time.Time `json:"captured_at"`
}

// HeldProof references one proof of delivery (its bytes are fetched
// through GET /proofs/{id}/content, which is audited).
type HeldProof struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Size      int64      `json:"size"`
	SHA256    string     `json:"sha256"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiredAt *time.Time `json:"expired_at,omitempty"`
}

// HeldMessage is one SMS to the phone.
type HeldMessage struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	ArticleID string     `json:"article_id,omitempty"`
	Body      string     `json:"body"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// Erasure is what an erasure request did.
type Erasure struct {
	Phone string `json:"phone"`
	// Erased are the articles whose recipient data was erased now.
	Erased []string `json:"erased"`
	// Refused are the articles not final yet: their recipient data is
	// still needed to deliver them, so it is kept; ask again when they are
	// delivered or returned.
	Refused []RefusedArticle `json:"refused"`
}

// RefusedArticle is an article an erasure request left alone.
type RefusedArticle struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// maxPhoneLen bounds the phone parameter before it is parsed.
const maxPhoneLen = 32

// phone checks and normalises a data principal's phone number.
func phone(raw string) (string, error) {
	if raw == "" {
		return "", postal.Invalid("phone is required", postal.FieldError{Field: "phone", Message: "required"})
	}
	if len(raw) > maxPhoneLen {
		return "", postal.Invalid("phone is too long", postal.FieldError{Field: "phone", Message: "at most 32 characters"})
	}
	p, err := postal.NormalizePhone(raw)
	if err != nil {
		return "", postal.Invalid("phone is not an Indian mobile number", postal.FieldError{Field: "phone", Message: "an Indian mobile number"})
	}
	return p, nil
}

// Export returns everything held about a phone number to an admin, after
// recording the request in the audit log.
func (s *Service) Export(ctx context.Context, p postal.Principal, rawPhone, route string) (Export, error) {
	if err := requireAdmin(p, "export a data principal's data"); err != nil {
		return Export{}, err
	}
	ph, err := phone(rawPhone)
	if err != nil {
		return Export{}, err
	}
	if err := s.Record(ctx, p, ActionExport, "phone", ph, route, ""); err != nil {
		return Export{}, err
	}
	x, err := s.store.HeldAbout(ctx, ph)
	if err != nil {
		return Export{}, err
	}
	x.Phone, x.GeneratedAt = ph, s.now()
	return x, nil
}

// Erase erases, on a data principal's request, the recipient data of
// every final article addressed to the phone, and lists the articles not
// final, which keep theirs. Asking again erases nothing more.
func (s *Service) Erase(ctx context.Context, p postal.Principal, rawPhone, route string) (Erasure, error) {
	if err := requireAdmin(p, "erase a data principal's data"); err != nil {
		return Erasure{}, err
	}
	ph, err := phone(rawPhone)
	if err != nil {
		return Erasure{}, err
	}
	x, err := s.store.HeldAbout(ctx, ph)
	if err != nil {
		return Erasure{}, err
	}
	out := Erasure{Phone: ph, Erased: []string{}, Refused: []RefusedArticle{}}
	var ids []string
	for _, a := range x.Articles {
		if a.Status == "delivered" || a.Status == "returned" {
			ids = append(ids, a.ID)
		} else {
			out.Refused = append(out.Refused, RefusedArticle{ID: a.ID, Status: a.Status})
		}
	}
	detail := ""
	if len(ids) > 0 {
		if out.Erased, err = s.store.EraseArticles(ctx, ids, s.now()); err != nil {
			return Erasure{}, err
		}
		detail = "erased " + strconv.Itoa(len(out.Erased))
	}
	if err := s.Record(ctx, p, ActionErase, "phone", ph, route, detail); err != nil {
		return Erasure{}, err
	}
	return out, nil
}
