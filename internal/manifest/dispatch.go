package manifest

import (
	"context"
	"encoding/json"
	"fmt"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/cod"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// load reads a stored manifest and decodes its body.
func (s *Service) load(ctx context.Context, id string) (Record, Manifest, error) {
	r, err := s.store.Manifest(ctx, id)
	if err != nil {
		return Record{}, Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return Record{}, Manifest{}, fmt.Errorf("manifest: decode %s: %w", id, err)
	}
	r.Articles, r.StopSeqs = articleIDs(m)
	return r, m, nil
}

// articleIDs lists a manifest's articles in route order, with the seq
// of the stop each is at.
func articleIDs(m Manifest) (ids []string, seqs []int) {
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			ids = append(ids, it.ID)
			seqs = append(seqs, st.Seq)
		}
	}
	return ids, seqs
}

// supervised loads a manifest for a supervisor (or admin) of its centre.
func (s *Service) supervised(ctx context.Context, p postal.Principal, id string) (Record, Manifest, error) {
	r, m, err := s.load(ctx, id)
	if err != nil {
		return Record{}, Manifest{}, err
	}
	if !p.CanSeeDC(r.DCID) {
		return Record{}, Manifest{}, postal.Errorf(postal.CodeNotFound, "manifest not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return Record{}, Manifest{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may do this")
	}
	return r, m, nil
}

// Dispatch sends a draft out: its articles become out for delivery, each
// with its tracking event, and the postman's phone can fetch it. A
// manifest already dispatched is returned as it is, so a retry is safe.
func (s *Service) Dispatch(ctx context.Context, p postal.Principal, id string) (Summary, error) {
	r, m, err := s.supervised(ctx, p, id)
	if err != nil || r.Status == StatusDispatched {
		return r.Summary, err
	}
	dc, err := s.store.DC(ctx, r.DCID)
	if err != nil {
		return Summary{}, err
	}
	m.Status = StatusDispatched
	setUPI(&m, dc)
	codes, err := s.issueCodes(ctx, &m, dc, func(Item) bool { return true })
	if err != nil {
		return Summary{}, err
	}
	next, err := render(m, r.Booked, r.Capacity, s.now())
	if err != nil {
		return Summary{}, err
	}
	next.Assignments = s.assign(next.Articles)
	ev := article.Event{Event: article.EventOutForDelivery, Status: article.StatusOutForDelivery,
		Code: article.UPUCode(article.EventOutForDelivery), At: s.now(), Place: dc.Name, ActorID: p.UserID}
	if err := s.store.Dispatch(ctx, next, ev, codes); err != nil {
		return Summary{}, err
	}
	return next.Summary, nil
}

// issueCodes makes one code for each recipient's articles at each stop
// that need a code and for which need holds (their recipient phone makes
// the group), and puts each code's group and offline check on them.
func (s *Service) issueCodes(ctx context.Context, m *Manifest, dc centre.DC, need func(Item) bool) ([]otp.Issued, error) {
	if s.opt.Codes == nil {
		return nil, nil
	}
	var ids []string
	for _, st := range m.Stops {
		for _, it := range st.Articles {
			if it.OTPRequired && need(it) {
				ids = append(ids, it.ID)
			}
		}
	}
	arts, err := s.store.ArticlesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []otp.Issued
	for _, st := range m.Stops {
		groups, err := codeGroups(st, need, arts)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			is, err := s.opt.Codes.Issue(otp.Group{Articles: g.ids, Phone: g.phone, Centre: dc.Name,
				Start: m.Window.Start, End: m.Window.End, TimeZone: dc.TimeZone})
			if err != nil {
				return nil, err
			}
			for _, id := range is.Articles {
				setCode(m, id, Code{Group: is.State.GroupID, Check: is.State.Check})
			}
			out = append(out, is)
		}
	}
	return out, nil
}

// codeGroup is the articles of one stop for one recipient phone that get
// one code.
type codeGroup struct {
	phone string
	ids   []string
}

// codeGroups splits a stop's articles that need a code (and for which
// need holds) by their recipient's phone, in the stop's order; arts holds
// those articles.
func codeGroups(st Stop, need func(Item) bool, arts map[string]article.Article) ([]codeGroup, error) {
	var out []codeGroup
	index := map[string]int{}
	for _, it := range st.Articles {
		if !it.OTPRequired || !need(it) {
			continue
		}
		a, ok := arts[it.ID]
		if !ok {
			return nil, postal.Errorf(postal.CodeNotFound, "article not found")
		}
		phone := a.Recipient.Phone
		k, ok := index[phone]
		if !ok {
			k, index[phone] = len(out), len(out)
			out = append(out, codeGroup{phone: phone})
		}
		out[k].ids = append(out[k].ids, it.ID)
	}
	return out, nil
}

// setCode puts an article's code group and check on the manifest.
func setCode(m *Manifest, id string, c Code) {
	for i := range m.Stops {
		for j := range m.Stops[i].Articles {
			if it := &m.Stops[i].Articles[j]; it.ID == id {
				it.OTPGroup, it.OTPCheck = c.Group, c.Check
			}
		}
	}
}

// setUPI puts each COD article's upi://pay link on the manifest (none when
// the centre has no UPI payee address: the postman takes cash).
func setUPI(m *Manifest, dc centre.DC) {
	for i := range m.Stops {
		for j := range m.Stops[i].Articles {
			it := &m.Stops[i].Articles[j]
			it.UPIURI = ""
			if it.CODPaise > 0 && dc.UPIVPA != "" {
				it.UPIURI = cod.UPIURI(dc.UPIVPA, dc.Name, it.CODPaise, "COD "+it.ID, it.ID)
			}
		}
	}
}

// Reissue stores a resent code together with the manifest of the article's
// custody, as a new version carrying the code's new check value on every
// article of its group, so the phone's offline check and the code never
// disagree. A manifest changed
// meanwhile (an amendment) is read again, a few times.
func (s *Service) Reissue(ctx context.Context, h otp.Holding, from uint64, next otp.Issued) error {
	var err error
	for range 3 {
		var r Record
		var m Manifest
		if r, m, err = s.load(ctx, h.ManifestID); err != nil {
			return err
		}
		setGroupCheck(&m, h.ArticleID, next.State)
		m.Version++
		if r, err = render(m, r.Booked, r.Capacity, s.now()); err != nil {
			return err
		}
		if err = s.store.Reissue(ctx, r, h.AssignmentID, from, next); !postal.IsCode(err, postal.CodeConflict) {
			return err
		}
	}
	return err
}

// keepChecks puts the stored codes back on a re-laid-out manifest and
// issues codes for the articles that need one and have none yet (added
// ones: they join no existing group).
func (s *Service) keepChecks(ctx context.Context, id string, m *Manifest, dc centre.DC) ([]otp.Issued, error) {
	codes, err := s.store.OTPChecks(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range m.Stops {
		for j := range m.Stops[i].Articles {
			it := &m.Stops[i].Articles[j]
			it.OTPGroup, it.OTPCheck = codes[it.ID].Group, codes[it.ID].Check
		}
	}
	return s.issueCodes(ctx, m, dc, func(it Item) bool { return it.OTPCheck == "" })
}

// setGroupCheck puts a group's new check on the article it was resent
// for and on every article of its group.
func setGroupCheck(m *Manifest, id string, st otp.State) {
	for i := range m.Stops {
		for j := range m.Stops[i].Articles {
			it := &m.Stops[i].Articles[j]
			if it.ID == id {
				it.OTPGroup = st.GroupID
			}
			if it.ID == id || (st.GroupID != "" && it.OTPGroup == st.GroupID) {
				it.OTPCheck = st.Check
			}
		}
	}
}

// Amendment changes a dispatched manifest.
type Amendment struct {
	Add    []string `json:"add"`
	Remove []string `json:"remove"`
}

// Amend adds articles to or takes them off a dispatched manifest: added
// ones (scheduled, of the same centre) go out for delivery, removed ones
// (still out) go back to the counter. The stops are re-ordered and the
// version bumped, so the phone sees a new ETag.
func (s *Service) Amend(ctx context.Context, p postal.Principal, id string, am Amendment) (Summary, error) {
	r, m, err := s.supervised(ctx, p, id)
	if err != nil {
		return Summary{}, err
	}
	if r.Status != StatusDispatched {
		return Summary{}, postal.Errorf(postal.CodeConflict, "a draft is rebuilt, not amended")
	}
	arts, added, removed, err := s.amended(ctx, r, am)
	if err != nil {
		return Summary{}, err
	}
	dc, err := s.store.DC(ctx, r.DCID)
	if err != nil {
		return Summary{}, err
	}
	m.Version++
	s.layout(ctx, &m, dc, arts, false)
	codes, err := s.keepChecks(ctx, m.ID, &m, dc)
	if err != nil {
		return Summary{}, err
	}
	next, err := render(m, booked(arts), r.Capacity, s.now())
	if err != nil {
		return Summary{}, err
	}
	next.Assignments = s.assign(added)
	now, note := s.now(), fmt.Sprintf("manifest %s v%d", m.ID, m.Version)
	out := article.Event{Event: article.EventOutForDelivery, Status: article.StatusOutForDelivery,
		Code: article.UPUCode(article.EventOutForDelivery), At: now, Place: dc.Name, ActorID: p.UserID, Note: note}
	held := article.Event{Event: article.EventHeldAtCounter, Status: article.StatusHeld,
		Code: article.UPUCode(article.EventHeldAtCounter), At: now, Place: dc.Name, ActorID: p.UserID, Note: "taken off " + note}
	if err := s.store.Amend(ctx, next, added, removed, out, held, codes); err != nil {
		return Summary{}, err
	}
	return next.Summary, nil
}

// assign names a new custody period for each article sent out.
func (s *Service) assign(ids []string) map[string]string {
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		out[id] = s.newID()
	}
	return out
}
