package ondc

// This file renders the on_* documents, modelled on the example flows of
// LOG11 1.2.5: the buyer's own order as it confirmed it, with our quote,
// our fulfillment state, times, proof of delivery and cash collected.

import (
	"encoding/json"
	"maps"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// Doc is a JSON object as it is sent.
type Doc = map[string]any

// Item is one service of our catalog as priced for a transaction.
type Item struct {
	ID         string         `json:"id"`
	Category   string         `json:"category"`
	Service    postal.Service `json:"service"`
	PricePaise int64          `json:"price_paise"` // before tax
	TaxPaise   int64          `json:"tax_paise"`
	TAT        string         `json:"tat"` // ISO 8601 duration
	Due        string         `json:"due"` // the date delivery is due by
}

// Priced is what a search priced: our items and, for COD, its fee.
type Priced struct {
	Items       []Item `json:"items"`
	CODPaise    int64  `json:"cod_paise"`
	CODFeePaise int64  `json:"cod_fee_paise"`
	FromPIN     string `json:"from_pin"`
	ToPIN       string `json:"to_pin"`
	WeightG     int    `json:"weight_g"`
}

// Authorization is a delivery code the buyer app gave for its order.
type Authorization struct {
	Type      string `json:"type"`
	Token     string `json:"token"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
}

// Order is one ONDC transaction as we keep it.
type Order struct {
	ID            string
	PartnerID     string
	TransactionID string
	BapID         string
	BapURI        string
	City          string
	Stage         string // searched, initialized, confirmed, cancelled
	ArticleID     string
	ItemID        string // the catalog item chosen at init
	Priced        Priced
	Doc           Doc // the buyer's order as initialised, then as confirmed
	Auth          *Authorization
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// The stages of an order.
const (
	StageSearched    = "searched"
	StageInitialized = "initialized"
	StageConfirmed   = "confirmed"
	StageCancelled   = "cancelled"
)

// Chosen returns the item chosen at init.
func (o Order) Chosen() (Item, bool) {
	for _, it := range o.Priced.Items {
		if it.ID == o.ItemID {
			return it, true
		}
	}
	return Item{}, false
}

// Tracking is what we know of an ONDC order's article.
type Tracking struct {
	Article   article.Article
	Events    []article.Event
	ProofURLs []string // signed links to its proof-of-delivery images
	COD       *Collected
}

// Collected is cash on delivery collected at the door.
type Collected struct {
	Paise int64
	Ref   string
	At    time.Time
}

func rupees(p int64) string { return postal.Paise(p).Rupees() }

func price(p int64) Doc { return Doc{"currency": "INR", "value": rupees(p)} }

func tag(code string, kv ...string) Doc {
	list := []any{}
	for i := 0; i+1 < len(kv); i += 2 {
		list = append(list, Doc{"code": kv[i], "value": kv[i+1]})
	}
	return Doc{"code": code, "list": list}
}

// clone deep-copies a JSON document.
func clone(d Doc) Doc {
	b, _ := json.Marshal(d)
	var out Doc
	_ = json.Unmarshal(b, &out)
	if out == nil {
		out = Doc{}
	}
	return out
}

// quote renders the quote of item it (and the COD fee).
func quote(p Priced, it Item) Doc {
	breakup := []any{
		Doc{"@ondc/org/item_id": it.ID, "@ondc/org/title_type": "delivery", "price": price(it.PricePaise)},
		Doc{"@ondc/org/item_id": it.ID, "@ondc/org/title_type": "tax", "price": price(it.TaxPaise)},
	}
	total := it.PricePaise + it.TaxPaise
	if p.CODPaise > 0 {
		breakup = append(breakup, Doc{"@ondc/org/item_id": codItemID, "@ondc/org/title_type": "cod", "price": price(p.CODFeePaise)})
		total += p.CODFeePaise
	}
	return Doc{"price": price(total), "breakup": breakup, "ttl": "PT15M"}
}

// codItemID is the catalog item of the COD fee.
const codItemID = "C1"

// Provider is how we name ourselves in a catalog.
const providerID = "dakiya"

// Catalog renders on_search's message for a priced search.
func Catalog(p Priced, now time.Time) Doc {
	cats, items := []any{}, []any{}
	seen := map[string]bool{}
	for _, it := range p.Items {
		tat := Doc{"label": "TAT", "duration": it.TAT, "timestamp": it.Due}
		if !seen[it.Category] {
			cats = append(cats, Doc{"id": it.Category, "time": tat})
			seen[it.Category] = true
		}
		name := serviceName(it.Service)
		items = append(items, Doc{"id": it.ID, "parent_item_id": "", "category_id": it.Category, "fulfillment_id": "1",
			"descriptor": Doc{"name": name, "short_desc": name, "long_desc": name + " by India Post's last mile (Dakiya)"},
			"price":      price(it.PricePaise + it.TaxPaise), "time": tat,
			"tags": []any{tag("type", "type", "base")}})
	}
	if p.CODPaise > 0 && len(p.Items) > 0 {
		items = append(items, Doc{"id": codItemID, "parent_item_id": "", "category_id": p.Items[0].Category, "fulfillment_id": "1",
			"descriptor": Doc{"name": "COD Fee", "short_desc": "Cash on delivery fee", "long_desc": "Cash on delivery fee"},
			"price":      price(p.CODFeePaise), "tags": []any{tag("type", "type", "cod")}})
	}
	provider := Doc{"id": providerID, "categories": cats, "items": items,
		"descriptor":   Doc{"name": "India Post (Dakiya)", "short_desc": "India Post last-mile delivery", "long_desc": "India Post last-mile delivery, parcel via hub"},
		"fulfillments": []any{Doc{"id": "1", "type": "Delivery", "start": Doc{"time": Doc{"duration": "P1D"}}}}}
	if p.CODPaise > 0 {
		provider["tags"] = []any{tag("special_req", "cod_order", "yes")}
	}
	return Doc{"catalog": Doc{
		"bpp/descriptor": Doc{"name": "Dakiya", "tags": []any{tag("bpp_terms", "static_terms", "", "static_terms_new", staticTerms, "effective_date", Stamp(now))}},
		"bpp/providers":  []any{provider},
	}}
}

// staticTerms are the network's published LSP terms we accept.
const staticTerms = "https://github.com/ONDC-Official/NP-Static-Terms/lspNP_LSP/1.0/tc.pdf"

func serviceName(s postal.Service) string {
	switch s {
	case postal.ServiceSpeedPost:
		return "Speed Post"
	case postal.ServiceParcel:
		return "Parcel"
	}
	return string(s)
}

// cancellationTerms are ours: free before dispatch; after, not possible.
func cancellationTerms() []any {
	term := func(state string, fee string) Doc {
		return Doc{"fulfillment_state": Doc{"descriptor": Doc{"code": state, "short_desc": "cancellation " + fee}},
			"reason_required": true, "cancellation_fee": Doc{"percentage": fee}}
	}
	return []any{term(StatePending, "0.00"), term(StateAtHub, "0.00")}
}

// InitOrder renders on_init's order: the buyer's order with our quote,
// payment terms (COD collected by us and remitted, or paid by invoice)
// and cancellation terms.
func InitOrder(o Order, buyer Doc) Doc {
	it, _ := o.Chosen()
	out := Doc{"provider": Doc{"id": providerID}, "quote": quote(o.Priced, it), "cancellation_terms": cancellationTerms(),
		"tags": []any{tag("bpp_terms", "static_terms", staticTerms)}}
	for _, k := range []string{"items", "fulfillments", "billing"} {
		if v, ok := buyer[k]; ok {
			out[k] = v
		}
	}
	pay, _ := buyer["payment"].(map[string]any)
	pay = maps.Clone(pay)
	if pay == nil {
		pay = Doc{}
	}
	if _, ok := pay["type"]; !ok {
		pay["type"] = "POST-FULFILLMENT"
	}
	if _, ok := pay["collected_by"]; !ok {
		pay["collected_by"] = "BAP"
	}
	pay["@ondc/org/settlement_basis"] = "invoicing"
	pay["@ondc/org/settlement_window"] = "P15D"
	out["payment"] = pay
	return out
}

// fulfillmentOf returns the order's first Delivery fulfillment (made when
// the buyer sent none).
func fulfillmentOf(d Doc) Doc {
	fs, _ := d["fulfillments"].([]any)
	for _, f := range fs {
		if m, ok := f.(map[string]any); ok && (m["type"] == "Delivery" || m["type"] == nil) {
			m["type"] = "Delivery"
			return m
		}
	}
	m := Doc{"id": "1", "type": "Delivery"}
	d["fulfillments"] = append(fs, m)
	return m
}

func sub(m Doc, k string) Doc {
	v, ok := m[k].(map[string]any)
	if !ok {
		v = Doc{}
		m[k] = v
	}
	return v
}

// StatusOrder renders the order of on_confirm, on_status, on_track,
// on_cancel and on_update: the confirmed order in fulfillment state fs
// (our article's current state when fs is ""), with what we know of its
// article.
func StatusOrder(o Order, t Tracking, fs string, now time.Time) Doc {
	if fs == "" {
		fs = StatusState(t.Article.Status)
		if o.Stage == StageCancelled {
			fs = StateCancelled
		}
	}
	d := clone(o.Doc)
	it, _ := o.Chosen()
	d["id"] = orderID(o)
	d["state"] = orderState(fs)
	d["provider"] = Doc{"id": providerID}
	d["quote"] = quote(o.Priced, it)
	d["cancellation_terms"] = cancellationTerms()
	d["updated_at"] = Stamp(now)
	if _, ok := d["created_at"].(string); !ok {
		d["created_at"] = Stamp(o.CreatedAt)
	}
	if items, ok := d["items"].([]any); ok {
		for _, x := range items {
			if m, ok := x.(map[string]any); ok {
				m["time"] = Doc{"label": "TAT", "duration": it.TAT, "timestamp": it.Due}
				if _, ok := m["category_id"]; !ok {
					m["category_id"] = it.Category
				}
			}
		}
	}
	f := fulfillmentOf(d)
	fill(f, o, t, fs)
	if fs == StateRTO {
		f["state"] = Doc{"descriptor": Doc{"code": StateCancelled}}
		rto := Doc{"id": "1-RTO", "type": "RTO", "state": Doc{"descriptor": Doc{"code": StateRTO}},
			"start": Doc{"time": Doc{"timestamp": Stamp(eventAt(t, article.EventReturnedToSender, now))}}}
		d["fulfillments"] = append(d["fulfillments"].([]any), rto)
	}
	return d
}

// orderID is the network order id: the buyer's, else our own.
func orderID(o Order) string {
	if id, ok := o.Doc["id"].(string); ok && id != "" {
		return id
	}
	return o.ID
}

// fill writes our fulfillment facts into f.
func fill(f Doc, o Order, t Tracking, fs string) {
	a := t.Article
	state := Doc{"code": fs}
	if fs == StateFailed {
		if e, ok := lastEvent(t, article.EventDeliveryAttempted); ok {
			state["short_desc"] = e.ReasonCode
		}
	}
	f["state"] = Doc{"descriptor": state}
	if a.ID != "" {
		f["@ondc/org/awb_no"] = a.ID
		f["tracking"] = true
	}
	keepTags(f)
	start, end := sub(f, "start"), sub(f, "end")
	windows(start, end, o, t)
	if e, ok := firstEvent(t, article.EventReceivedAtDC); ok && fs != StatePending && fs != StateCancelled {
		st := sub(start, "time")
		st["timestamp"] = Stamp(e.At)
	}
	if e, ok := lastEvent(t, article.EventDelivered); ok && fs == StateDelivered {
		et := sub(end, "time")
		et["timestamp"] = Stamp(e.At)
		if len(t.ProofURLs) > 0 {
			ins := sub(end, "instructions")
			ins["code"] = "3"
			ins["short_desc"] = "proof of delivery"
			ins["images"] = t.ProofURLs
		}
	}
	if o.Auth != nil {
		end["authorization"] = Doc{"type": o.Auth.Type, "token": o.Auth.Token, "valid_from": o.Auth.ValidFrom, "valid_to": o.Auth.ValidTo}
	}
	if t.COD != nil && fs == StateDelivered {
		tags, _ := f["tags"].([]any)
		f["tags"] = append(tags, tag("cod_collection_detail", "currency", "INR", "value", rupees(t.COD.Paise),
			"transaction_id", t.COD.Ref, "timestamp", Stamp(t.COD.At)))
	}
}

// statusTags are the fulfillment tags LOG11 allows in our status
// documents; the buyer's others (state, rto_action) are its own requests
// and are not echoed.
var statusTags = map[string]bool{"tracking": true, "linked_provider": true, "linked_order": true, "linked_order_item": true,
	"shipping_label": true, "cod_settlement_detail": true, "cod_collection_detail": true, "rto_verification": true,
	"rto_event": true, "ebn": true, "fulfillment_delay": true, "fulfillment_proof": true, "special_req": true, "linked_package": true}

func keepTags(f Doc) {
	tags, _ := f["tags"].([]any)
	var kept []any
	for _, x := range tags {
		if m, ok := x.(map[string]any); ok && statusTags[str(m, "code")] {
			kept = append(kept, m)
		}
	}
	if kept == nil {
		delete(f, "tags")
		return
	}
	f["tags"] = kept
}

// windows writes the pickup window (the article is handed in at our hub
// within a day of the order) and the delivery window (from the order to
// the end of the day its TAT falls due, in India).
func windows(start, end Doc, o Order, t Tracking) {
	it, _ := o.Chosen()
	from := o.CreatedAt
	if e, ok := firstEvent(t, article.EventBooked); ok {
		from = e.At
	}
	st, et := sub(start, "time"), sub(end, "time")
	st["range"] = Doc{"start": Stamp(from), "end": Stamp(from.Add(24 * time.Hour))}
	due, err := time.ParseInLocation(time.DateOnly, it.Due, ist)
	if err != nil {
		due = from.Add(96 * time.Hour)
	}
	et["range"] = Doc{"start": Stamp(from), "end": Stamp(due.Add(20 * time.Hour))}
}

// ist is India's time zone, where delivery days end.
var ist = time.FixedZone("IST", 5*3600+1800)

func firstEvent(t Tracking, name article.EventName) (article.Event, bool) {
	for _, e := range t.Events {
		if e.Event == name {
			return e, true
		}
	}
	return article.Event{}, false
}

func lastEvent(t Tracking, name article.EventName) (article.Event, bool) {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Event == name {
			return t.Events[i], true
		}
	}
	return article.Event{}, false
}

func eventAt(t Tracking, name article.EventName, def time.Time) time.Time {
	if e, ok := lastEvent(t, name); ok {
		return e.At
	}
	return def
}

// Envelope wraps a message in a callback's context.
func Envelope(c Context, action, messageID string, now time.Time, message Doc) Doc {
	c.Action, c.MessageID, c.Timestamp, c.TTL = action, messageID, Stamp(now), ""
	return Doc{"context": c, "message": message}
}
