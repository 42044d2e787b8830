package article

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/notify"
	"dakiya/internal/postal"
)

// MaxBatch is the most articles one request may carry.
const MaxBatch = 1000

// Service books articles and shows them.
type Service struct {
	store   Store
	now     func() time.Time
	notice  Notice
	windows Windows // nil: tracking shows no window
}

// Notice makes the SMS a recipient gets when their article reaches the
// centre (the slot-choice link); nil sends none.
type Notice func(a Article, dc centre.DC) notify.Message

// New returns a Service.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// WithNotice makes the service queue notice's SMS for every article it
// receives, in the same transaction as the article.
func (s *Service) WithNotice(n Notice) *Service {
	s.notice = n
	return s
}

// ItemError reports why one item of a batch was not stored.
type ItemError struct {
	Index int `json:"index"`
	// Row is the item's row in a CSV file (the header is row 1); 0 for JSON.
	Row    int                 `json:"row,omitempty"`
	ID     string              `json:"id,omitempty"`
	Errors []postal.FieldError `json:"errors"`
}

// BatchResult says what happened to each item of a batch.
type BatchResult struct {
	Created   []string    `json:"created"`
	Unchanged []string    `json:"unchanged"`
	Errors    []ItemError `json:"errors"`
}

// DecodeBatch reads one article object or an array of them. Each item is
// decoded on its own, strictly, so one bad item cannot sink the others; its
// failure is returned as an ItemError.
func DecodeBatch(body []byte) ([]Input, []ItemError, error) {
	body = bytes.TrimSpace(body)
	var raws []json.RawMessage
	switch {
	case len(body) > 0 && body[0] == '[':
		if err := json.Unmarshal(body, &raws); err != nil {
			return nil, nil, postal.Wrap(err, postal.CodeInvalid, "body must be an article or an array of articles")
		}
	case len(body) > 0 && body[0] == '{':
		if !json.Valid(body) {
			return nil, nil, postal.Invalid("malformed JSON: the body is not one article object")
		}
		raws = []json.RawMessage{body}
	default:
		return nil, nil, postal.Errorf(postal.CodeInvalid, "body must be an article or an array of articles")
	}
	if len(raws) == 0 || len(raws) > MaxBatch {
		return nil, nil, postal.Invalid(fmt.Sprintf("send 1 to %d articles per request", MaxBatch))
	}
	inputs := make([]Input, len(raws))
	var bad []ItemError
	for i, raw := range raws {
		if ie := decodeItem(i, raw, &inputs[i]); ie != nil {
			bad, inputs[i] = append(bad, *ie), Input{}
		}
	}
	return inputs, bad, nil
}

// decodeItem decodes item i of a batch into in, or says why it cannot.
func decodeItem(i int, raw []byte, in *Input) *ItemError {
	return DecodeItem(i, raw, in, &in.ID)
}

// DecodeItem decodes item i of a batch into v strictly (no unknown fields,
// no trailing data), or says why it cannot; id points at v's id, named in
// the error when it is readable. encoding/json keeps U+0000 and hides bad
// UTF-8 as U+FFFD, so the raw item is checked for text the database must
// not get.
func DecodeItem(i int, raw []byte, v any, id *string) *ItemError {
	if err := strictDecode(raw, v); err != nil {
		return &ItemError{Index: i, Errors: []postal.FieldError{{Field: "", Message: err.Error()}}}
	}
	fe := postal.JSONTextErrors(raw)
	if len(fe) == 0 {
		return nil
	}
	ie := &ItemError{Index: i, Errors: fe}
	if postal.TextProblem(*id) == "" {
		ie.ID = strings.TrimSpace(*id)
	}
	return ie
}

// strictDecode decodes one JSON value, refusing unknown fields and
// trailing data.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("malformed article: trailing data")
	}
	return nil
}

// jsonProblem says what is wrong with an item without Go's type names.
func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		want := "a string"
		switch typ.Type.Kind().String() {
		case "int", "int64", "float64":
			want = "a number"
		case "struct", "map":
			want = "an object"
		case "ptr":
			want = "a number or null"
		}
		if typ.Field == "" {
			return "malformed article: must be an object"
		}
		return fmt.Sprintf("malformed article: field %q must be %s", typ.Field, want)
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed article: bad JSON at byte %d", syn.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "malformed article: unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed article"
}

// Create books a batch of articles into centre dc, received there now. A
// supervisor of dc or an admin may do it. Items that failed to decode are
// passed in as decodeErrs and reported in place; every valid item is stored
// whatever the others hold.
func (s *Service) Create(ctx context.Context, p postal.Principal, dcID string, inputs []Input, decodeErrs []ItemError) (BatchResult, error) {
	dc, err := s.centreFor(ctx, p, dcID)
	if err != nil {
		return BatchResult{}, err
	}
	res := BatchResult{Created: []string{}, Unchanged: []string{}, Errors: []ItemError{}}
	skip := map[int]bool{}
	for _, e := range decodeErrs {
		skip[e.Index] = true
		res.Errors = append(res.Errors, e)
	}
	var rows []Article
	var events [][]Event
	var notes []notify.Message
	var index []int
	seen := map[string]int{}
	now := s.now()
	for i, in := range inputs {
		if skip[i] {
			continue
		}
		norm, fe := normalize(in)
		if first, dup := seen[norm.ID]; dup && len(fe) == 0 && contentHash(norm) != rows[first].ContentHash {
			fe = append(fe, postal.FieldError{Field: "id", Message: "appears twice in this batch with different content"})
		}
		if len(fe) > 0 {
			res.Errors = append(res.Errors, ItemError{Index: i, ID: strings.TrimSpace(in.ID), Errors: fe})
			continue
		}
		if _, dup := seen[norm.ID]; dup {
			res.Unchanged = append(res.Unchanged, norm.ID)
			continue
		}
		seen[norm.ID] = len(rows)
		a, evs := newArticle(norm, dc, p, now)
		rows, events, index = append(rows, a), append(events, evs), append(index, i)
		if s.notice != nil {
			notes = append(notes, s.notice(a, dc))
		}
	}
	if len(rows) == 0 {
		return res, nil
	}
	outcomes, err := s.store.InsertArticles(ctx, rows, events, notes)
	if err != nil {
		return BatchResult{}, err
	}
	for k, o := range outcomes {
		switch o {
		case Created:
			res.Created = append(res.Created, rows[k].ID)
		case Unchanged:
			res.Unchanged = append(res.Unchanged, rows[k].ID)
		default:
			res.Errors = append(res.Errors, ItemError{Index: index[k], ID: rows[k].ID, Errors: []postal.FieldError{
				{Field: "id", Message: "this S10 id is already booked with different content"}}})
		}
	}
	return res, nil
}

// centreFor checks that p may book into dc and returns the centre.
func (s *Service) centreFor(ctx context.Context, p postal.Principal, dcID string) (centre.DC, error) {
	if !p.CanSeeDC(dcID) {
		return centre.DC{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return centre.DC{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may book articles")
	}
	return s.store.DC(ctx, dcID)
}

// newArticle builds the stored form of a valid input received at dc now:
// booked, then received at the centre, with its DIGIPIN and beat.
func newArticle(in Input, dc centre.DC, p postal.Principal, now time.Time) (Article, []Event) {
	a := Article{ID: in.ID, DCID: dc.ID, Service: in.Service, Recipient: in.Recipient,
		CODPaise: postal.Paise(in.CODPaise), SlotPreference: in.SlotPreference, Status: StatusAtDC,
		ContentHash: contentHash(in), CreatedAt: now, UpdatedAt: now}
	if r := in.Recipient; r.Lat != nil {
		a.DIGIPIN, _ = postal.EncodeDIGIPIN(*r.Lat, *r.Lon) // validated in normalize
	}
	if b, ok := centre.BeatFor(dc.Beats, a.DIGIPIN, in.Recipient.PIN); ok {
		a.BeatID = b.ID
	}
	ev := func(seq int, name EventName, st Status) Event {
		return Event{Seq: seq, Event: name, Status: st, Code: UPUCode(name), At: now, Place: dc.Name, ActorID: p.UserID}
	}
	return a, []Event{ev(1, EventBooked, StatusBooked), ev(2, EventReceivedAtDC, StatusAtDC)}
}

// NewBooked builds the stored form of a valid input a partner books for
// delivery by dc: booked (not yet at the centre), with its DIGIPIN, beat
// and one booked event at place, and hash as its content fingerprint.
func NewBooked(in Input, dc centre.DC, place, hash string, now time.Time) (Article, []Event) {
	a := Article{ID: in.ID, DCID: dc.ID, Service: in.Service, Recipient: in.Recipient,
		CODPaise: postal.Paise(in.CODPaise), SlotPreference: in.SlotPreference, Status: StatusBooked,
		ContentHash: hash, CreatedAt: now, UpdatedAt: now}
	if r := in.Recipient; r.Lat != nil {
		a.DIGIPIN, _ = postal.EncodeDIGIPIN(*r.Lat, *r.Lon) // validated by Normalize
	}
	if b, ok := centre.BeatFor(dc.Beats, a.DIGIPIN, in.Recipient.PIN); ok {
		a.BeatID = b.ID
	}
	return a, []Event{{Seq: 1, Event: EventBooked, Status: StatusBooked, Code: UPUCode(EventBooked), At: now, Place: place}}
}
