package ondc

// This file serves each action: what it reads from the request, what it
// changes, and which callback it owes.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/booking"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/tariff"
)

// offers are our services on the network: a service, its category and TAT.
var offers = []struct {
	id       string
	service  postal.Service
	category string
	tatDays  int
}{
	{"I1", postal.ServiceSpeedPost, "Express Delivery", 2},
	{"I2", postal.ServiceParcel, "Standard Delivery", 4},
}

// intent is what we read of a search.
type intent struct {
	Category struct {
		ID string `json:"id"`
	} `json:"category"`
	Fulfillment struct {
		Start loc        `json:"start"`
		End   loc        `json:"end"`
		Tags  []tagGroup `json:"tags"`
	} `json:"fulfillment"`
	Payload struct {
		Weight     scalar `json:"weight"`
		Dimensions struct {
			Length, Breadth, Height scalar
		} `json:"dimensions"`
	} `json:"@ondc/org/payload_details"`
	Payment struct {
		Collection string `json:"@ondc/org/collection_amount"`
	} `json:"payment"`
}

type loc struct {
	Location struct {
		Address struct {
			AreaCode string `json:"area_code"`
		} `json:"address"`
	} `json:"location"`
}

type scalar struct {
	Unit  string  `json:"unit"`
	Value float64 `json:"value"`
}

type tagGroup struct {
	Code string `json:"code"`
	List []struct {
		Code  string `json:"code"`
		Value any    `json:"value"`
	} `json:"list"`
}

// tagValue finds code's value in group of tags, as text.
func tagValue(tags []tagGroup, group, code string) string {
	for _, g := range tags {
		if g.Code != group {
			continue
		}
		for _, t := range g.List {
			if t.Code == code {
				switch v := t.Value.(type) {
				case string:
					return v
				case bool:
					return strconv.FormatBool(v)
				case float64:
					return strconv.FormatFloat(v, 'f', -1, 64)
				}
			}
		}
	}
	return ""
}

// paiseOf reads a rupee amount ("300.00") as paise.
func paiseOf(s string) (int64, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 || f > float64(postal.MaxCOD)/100 {
		return 0, false
	}
	return int64(f*100 + 0.5), true
}

func grams(s scalar) int {
	switch strings.ToLower(s.Unit) {
	case "kilogram", "kg":
		return int(s.Value*1000 + 0.5)
	case "gram", "g":
		return int(s.Value + 0.5)
	}
	return 0
}

func cm(s scalar) int {
	if s.Value <= 0 {
		return 0
	}
	switch strings.ToLower(s.Unit) {
	case "meter", "m":
		return int(s.Value*100 + 0.5)
	}
	return int(s.Value + 0.5)
}

// codOf is the cash to collect a search or order asks for.
func codOf(tags []tagGroup, paymentAmount string) (int64, *refusal) {
	amount := paymentAmount
	if tagValue(tags, "linked_order", "cod_order") == "true" || tagValue(tags, "linked_order", "cod_order") == "yes" {
		if v := tagValue(tags, "linked_order", "collection_amount"); v != "" {
			amount = v
		}
	}
	if amount == "" {
		return 0, nil
	}
	p, ok := paiseOf(amount)
	if !ok {
		return 0, refuse(http.StatusBadRequest, ErrInvalidRequest, "the collection amount must be rupees up to %s", postal.MaxCOD.Rupees())
	}
	return p, nil
}

// serviceable finds the centre whose beats deliver to pin.
func (s *Service) serviceable(ctx context.Context, pin string) (centre.DC, *refusal, error) {
	if !postal.ValidPIN(pin) {
		return centre.DC{}, refuse(http.StatusBadRequest, ErrInvalidRequest, "the drop-off area_code must be a PIN code"), nil
	}
	centres, err := s.store.PINCentres(ctx)
	if err != nil {
		return centre.DC{}, nil, err
	}
	id, ok := centres[pin]
	if !ok {
		return centre.DC{}, refuse(http.StatusUnprocessableEntity, ErrDropNotServiceable, "we do not deliver to PIN %s", pin), nil
	}
	dc, err := s.store.DC(ctx, id)
	return dc, nil, err
}

func (s *Service) search(ctx context.Context, partnerID string, req Request) (*refusal, error) {
	var m struct {
		Intent intent `json:"intent"`
	}
	if err := json.Unmarshal(req.Message, &m); err != nil {
		return refuse(http.StatusBadRequest, ErrInvalidRequest, "message.intent is malformed"), nil
	}
	in := m.Intent
	from, to := in.Fulfillment.Start.Location.Address.AreaCode, in.Fulfillment.End.Location.Address.AreaCode
	if !postal.ValidPIN(from) {
		return refuse(http.StatusBadRequest, ErrInvalidRequest, "the pickup area_code must be a PIN code"), nil
	}
	if _, r, err := s.serviceable(ctx, to); r != nil || err != nil {
		return r, err
	}
	cod, r := codOf(in.Fulfillment.Tags, in.Payment.Collection)
	if r != nil {
		return r, nil
	}
	o, _, err := s.order(ctx, partnerID, req)
	if err != nil {
		return nil, err
	}
	if o.Stage != StageSearched && o.Stage != StageInitialized {
		return refuse(http.StatusConflict, ErrOrderValidation, "this transaction is already %s", o.Stage), nil
	}
	p := Priced{CODPaise: cod, FromPIN: from, ToPIN: to, WeightG: grams(in.Payload.Weight)}
	var dims *tariff.Dims
	if d := in.Payload.Dimensions; cm(d.Length) > 0 && cm(d.Breadth) > 0 && cm(d.Height) > 0 {
		dims = &tariff.Dims{L: cm(d.Length), B: cm(d.Breadth), H: cm(d.Height)}
	}
	now := s.now()
	for _, of := range offers {
		q, err := s.pricer.Price(ctx, partnerID, tariff.Request{Service: of.service, WeightG: p.WeightG, Dims: dims,
			FromPIN: from, ToPIN: to, CODPaise: postal.Paise(cod)})
		if err != nil {
			continue // the tariff does not carry this article by this service
		}
		tax := taxOf(q)
		p.Items = append(p.Items, Item{ID: of.id, Category: of.category, Service: of.service,
			PricePaise: int64(q.PricePaise) - tax, TaxPaise: tax, TAT: "P" + strconv.Itoa(of.tatDays) + "D",
			Due: now.AddDate(0, 0, of.tatDays).Format(time.DateOnly)})
		p.CODFeePaise = int64(q.CODFeePaise)
	}
	if len(p.Items) == 0 {
		return refuse(http.StatusUnprocessableEntity, "60004", "no service of ours carries this article"), nil
	}
	o.Priced, o.Stage = p, StageSearched
	msg, err := s.callback(o, req, "on_search", Catalog(p, now))
	if err != nil {
		return nil, err
	}
	return nil, s.store.SaveONDCOrder(ctx, o, msg)
}

// taxOf is the GST in a quote's breakdown.
func taxOf(q tariff.Quote) int64 {
	var t int64
	for _, l := range q.Breakdown {
		if item := strings.ToLower(l.Item); strings.Contains(item, "gst") || strings.Contains(item, "tax") {
			t += int64(l.Paise)
		}
	}
	return t
}

// orderMsg reads message.order.
func orderMsg(req Request) (Doc, *refusal) {
	var m struct {
		Order Doc `json:"order"`
	}
	if err := json.Unmarshal(req.Message, &m); err != nil || m.Order == nil {
		return nil, refuse(http.StatusBadRequest, ErrInvalidRequest, "message.order is required")
	}
	return m.Order, nil
}

// chosenItem is the first of the order's items that is one of our offers.
func chosenItem(d Doc, p Priced) string {
	items, _ := d["items"].([]any)
	for _, x := range items {
		m, _ := x.(map[string]any)
		id, _ := m["id"].(string)
		for _, it := range p.Items {
			if it.ID == id {
				return id
			}
		}
	}
	return ""
}

func (s *Service) init(ctx context.Context, partnerID string, req Request) (*refusal, error) {
	d, r := orderMsg(req)
	if r != nil {
		return r, nil
	}
	o, found, err := s.order(ctx, partnerID, req)
	if err != nil {
		return nil, err
	}
	if !found || (o.Stage != StageSearched && o.Stage != StageInitialized) {
		return refuse(http.StatusNotFound, ErrQuoteUnavailable, "no quote of ours in this transaction: search first"), nil
	}
	if o.ItemID = chosenItem(d, o.Priced); o.ItemID == "" {
		return refuse(http.StatusUnprocessableEntity, ErrQuoteUnavailable, "order.items names none of our catalog's items"), nil
	}
	if pin := strings.TrimSpace(str(sub(sub(sub(fulfillmentOf(d), "end"), "location"), "address"), "area_code")); pin != "" && pin != o.Priced.ToPIN {
		return refuse(http.StatusUnprocessableEntity, ErrQuoteUnavailable, "the drop-off PIN differs from the one quoted"), nil
	}
	o.Doc, o.Stage = d, StageInitialized
	msg, err := s.callback(o, req, "on_init", Doc{"order": InitOrder(o, d)})
	if err != nil {
		return nil, err
	}
	return nil, s.store.SaveONDCOrder(ctx, o, msg)
}

func str(m Doc, k string) string {
	v, _ := m[k].(string)
	return v
}

// recipient reads the drop-off of a confirmed order.
func recipient(d Doc) (article.Recipient, string) {
	end := sub(fulfillmentOf(d), "end")
	addr := sub(sub(end, "location"), "address")
	var parts []string
	for _, k := range []string{"name", "building", "locality", "city", "state"} {
		if v := strings.TrimSpace(str(addr, k)); v != "" {
			parts = append(parts, v)
		}
	}
	r := article.Recipient{Name: str(sub(end, "person"), "name"), Phone: str(sub(end, "contact"), "phone"),
		Address: strings.Join(parts, ", "), PIN: str(addr, "area_code")}
	if lat, lon, ok := strings.Cut(str(sub(end, "location"), "gps"), ","); ok {
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if err1 == nil && err2 == nil {
			r.Lat, r.Lon = &la, &lo
		}
	}
	return r, r.PIN
}

// fulfillmentTags reads the tags of the order's delivery fulfillment.
func fulfillmentTags(d Doc) []tagGroup {
	var tags []tagGroup
	b, _ := json.Marshal(fulfillmentOf(d)["tags"])
	_ = json.Unmarshal(b, &tags)
	return tags
}

func (s *Service) confirm(ctx context.Context, partnerID string, req Request) (*refusal, error) {
	d, r := orderMsg(req)
	if r != nil {
		return r, nil
	}
	o, found, err := s.order(ctx, partnerID, req)
	if err != nil {
		return nil, err
	}
	if found && o.Stage == StageConfirmed {
		return refuse(http.StatusConflict, ErrOrderValidation, "this order is already confirmed"), nil
	}
	if !found || o.Stage != StageInitialized {
		return refuse(http.StatusNotFound, ErrQuoteUnavailable, "no initialised order in this transaction: init first"), nil
	}
	if str(d, "id") == "" {
		return refuse(http.StatusBadRequest, ErrInvalidRequest, "order.id is required"), nil
	}
	if id := chosenItem(d, o.Priced); id != "" {
		o.ItemID = id
	}
	it, _ := o.Chosen()
	rcp, pin := recipient(d)
	dc, rf, err := s.serviceable(ctx, pin)
	if rf != nil || err != nil {
		return rf, err
	}
	cod, rf := codOf(fulfillmentTags(d), "")
	if rf != nil {
		return rf, nil
	}
	if cod != o.Priced.CODPaise {
		return refuse(http.StatusUnprocessableEntity, ErrQuoteUnavailable, "the collection amount differs from the one quoted"), nil
	}
	p, err := s.store.Partner(ctx, partnerID)
	if err != nil {
		return nil, err
	}
	o.Doc, o.Stage = d, StageConfirmed
	return s.book(ctx, req, o, p.Name, it, dc, rcp, cod)
}

// book allocates an S10 id and books the article, retrying a clash.
func (s *Service) book(ctx context.Context, req Request, o Order, place string, it Item, dc centre.DC, rcp article.Recipient, cod int64) (*refusal, error) {
	indicator := booking.DefaultIndicators()[it.Service]
	for try := 0; try < 5; try++ {
		n, err := serial()
		if err != nil {
			return nil, err
		}
		id, _ := postal.NewS10(indicator, n, "IN")
		now := s.now()
		in, fe := article.Normalize(article.Input{ID: string(id), Service: it.Service, Recipient: rcp, CODPaise: cod}, true)
		if len(fe) > 0 {
			return refuse(http.StatusBadRequest, ErrInvalidRequest, "the drop-off cannot be booked: %s %s", fe[0].Field, fe[0].Message), nil
		}
		a, evs := article.NewBooked(in, dc, place, contentHash(o), now)
		a.PartnerID, a.PricePaise, a.CODFeePaise = o.PartnerID, postal.Paise(it.PricePaise+it.TaxPaise), postal.Paise(o.Priced.CODFeePaise)
		o.ArticleID = a.ID
		msg, err := s.callback(o, req, "on_confirm", Doc{"order": StatusOrder(o, Tracking{Article: a, Events: evs}, StatePending, now)})
		if err != nil {
			return nil, err
		}
		err = s.store.BookONDC(ctx, o, a, evs, msg)
		var unpaid *postal.Error
		if errors.As(err, &unpaid) && unpaid.Code == postal.CodePaymentRequired {
			return refuse(http.StatusUnprocessableEntity, ErrConfirmFailed, "%s", unpaid.Message), nil
		}
		if !postal.IsCode(err, postal.CodeConflict) {
			return nil, err
		}
	}
	return refuse(http.StatusServiceUnavailable, ErrConfirmFailed, "could not allocate an article id; retry"), nil
}

// contentHash fingerprints the article of an ONDC order: its order.
func contentHash(o Order) string {
	sum := sha256.Sum256([]byte("ondc:" + o.PartnerID + "\n" + o.BapID + "\n" + o.TransactionID))
	return hex.EncodeToString(sum[:])
}

// confirmed loads the confirmed (or cancelled) order req names.
func (s *Service) confirmed(ctx context.Context, partnerID string, req Request) (Order, *refusal, error) {
	o, err := s.store.ONDCOrder(ctx, req.Context.BapID, req.Context.TransactionID)
	if postal.IsCode(err, postal.CodeNotFound) || (err == nil && (o.ArticleID == "" || o.PartnerID != partnerID)) {
		return Order{}, refuse(http.StatusNotFound, ErrOrderNotFound, "no confirmed order in this transaction"), nil
	}
	if err != nil {
		return Order{}, nil, err
	}
	var m struct {
		OrderID string `json:"order_id"`
	}
	if json.Unmarshal(req.Message, &m) == nil && m.OrderID != "" && m.OrderID != orderID(o) {
		return Order{}, refuse(http.StatusNotFound, ErrOrderNotFound, "order %s is not in this transaction", m.OrderID), nil
	}
	o.BapURI, o.UpdatedAt = req.Context.BapURI, s.now()
	return o, nil, nil
}

// report answers status and track: the confirmed order's on_status or
// on_track (rendered when it is sent, so it tells the state of that moment).
func (s *Service) report(ctx context.Context, partnerID string, req Request, callback string) (*refusal, error) {
	o, r, err := s.confirmed(ctx, partnerID, req)
	if r != nil || err != nil {
		return r, err
	}
	msg, err := s.callback(o, req, callback, nil)
	if err != nil {
		return nil, err
	}
	return nil, s.store.SaveONDCOrder(ctx, o, msg)
}

// TrackMessage renders on_track's message.
func (s *Service) TrackMessage(o Order, t Tracking) Doc {
	status := "active"
	if t.Article.Status.Terminal() || o.Stage == StageCancelled {
		status = "inactive"
	}
	tr := Doc{"id": "1", "status": status, "tags": []any{tag("order", "id", orderID(o)), tag("config", "attr", "tracking.url", "type", "live_poll")}}
	if s.cfg.TrackURL != nil {
		tr["url"] = s.cfg.TrackURL(o.ArticleID)
	}
	return Doc{"tracking": tr}
}

// cancellable are the statuses before dispatch.
func cancellable(st article.Status) bool {
	return st == article.StatusBooked || st == article.StatusAtDC || st == article.StatusScheduled
}

func (s *Service) cancel(ctx context.Context, partnerID string, req Request) (*refusal, error) {
	o, r, err := s.confirmed(ctx, partnerID, req)
	if r != nil || err != nil {
		return r, err
	}
	var m struct {
		Reason string `json:"cancellation_reason_id"`
	}
	if json.Unmarshal(req.Message, &m) != nil || m.Reason == "" || len(m.Reason) > 8 {
		return refuse(http.StatusBadRequest, ErrCancelReasonInvalid, "cancellation_reason_id is required"), nil
	}
	if o.Stage == StageCancelled {
		return refuse(http.StatusConflict, ErrCancelNotPossible, "this order is already cancelled"), nil
	}
	t, err := s.tracking(ctx, o, s.now())
	if err != nil {
		return nil, err
	}
	if !cancellable(t.Article.Status) {
		return refuse(http.StatusUnprocessableEntity, ErrCancelNotPossible, "the article is %s: cancellation is only possible before dispatch", t.Article.Status), nil
	}
	now := s.now()
	e := article.Event{Seq: len(t.Events) + 1, Event: article.EventReturnedToSender, Status: article.StatusReturned,
		At: now, Place: "ONDC", ReasonCode: "41", Note: "ONDC order cancelled by the buyer app (reason " + m.Reason + ")"}
	o.Stage = StageCancelled
	d := StatusOrder(o, t, StateCancelled, now)
	d["cancellation"] = Doc{"cancelled_by": o.BapID, "reason": Doc{"id": m.Reason}}
	msg, err := s.callback(o, req, "on_cancel", Doc{"order": d})
	if err != nil {
		return nil, err
	}
	err = s.store.CancelONDC(ctx, o, t.Article.Status, e, msg)
	if postal.IsCode(err, postal.CodeConflict) {
		return refuse(http.StatusConflict, ErrCancelNotPossible, "the article moved on; retry"), nil
	}
	return nil, err
}

// authOf reads a delivery code from an update's fulfillment: the
// end.authorization of the spec, or the static code of end.instructions.
func (s *Service) authOf(f Doc, now time.Time) (*Authorization, *refusal) {
	end := sub(f, "end")
	if a, ok := end["authorization"].(map[string]any); ok {
		auth := &Authorization{Type: str(a, "type"), Token: str(a, "token"), ValidFrom: str(a, "valid_from"), ValidTo: str(a, "valid_to")}
		from, err1 := time.Parse(time.RFC3339Nano, auth.ValidFrom)
		to, err2 := time.Parse(time.RFC3339Nano, auth.ValidTo)
		if auth.Type != "OTP" || auth.Token == "" || len(auth.Token) > 16 || err1 != nil || err2 != nil || !to.After(from) {
			return nil, refuse(http.StatusBadRequest, ErrInvalidRequest, "end.authorization must be {type: OTP, token, valid_from, valid_to} with valid_to after valid_from")
		}
		return auth, nil
	}
	if ins, ok := end["instructions"].(map[string]any); ok && str(ins, "code") == "5" && str(ins, "short_desc") != "" {
		return &Authorization{Type: "OTP", Token: str(ins, "short_desc"), ValidFrom: Stamp(now), ValidTo: Stamp(now.AddDate(0, 0, 7))}, nil
	}
	return nil, nil
}

func (s *Service) update(ctx context.Context, partnerID string, req Request) (*refusal, error) {
	o, r, err := s.confirmed(ctx, partnerID, req)
	if r != nil || err != nil {
		return r, err
	}
	d, r := orderMsg(req)
	if r != nil {
		return r, nil
	}
	if o.Stage == StageCancelled {
		return refuse(http.StatusConflict, ErrOrderValidation, "this order is cancelled"), nil
	}
	now := s.now()
	auth, r := s.authOf(fulfillmentOf(d), now)
	if r != nil {
		return r, nil
	}
	if auth != nil {
		o.Auth = auth
	}
	t, err := s.tracking(ctx, o, now)
	if err != nil {
		return nil, err
	}
	msg, err := s.callback(o, req, "on_update", Doc{"order": StatusOrder(o, t, "", now)})
	if err != nil {
		return nil, err
	}
	return nil, s.store.SaveONDCOrder(ctx, o, msg)
}
