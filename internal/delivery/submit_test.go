package delivery_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/delivery"
	"dakiya/internal/idem"
	"dakiya/internal/notify"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// fakeStore is an in-memory delivery.Store holding one article out with
// one postman.
type fakeStore struct {
	holding  otp.Holding
	art      article.Article
	failed   int
	recorded []delivery.Record
}

func (f *fakeStore) Holding(_ context.Context, id string) (otp.Holding, error) {
	if id != f.holding.ArticleID {
		return otp.Holding{}, postal.Errorf(postal.CodeNotFound, "article not found")
	}
	return f.holding, nil
}
func (f *fakeStore) Article(_ context.Context, id string) (article.Article, error) { return f.art, nil }
func (f *fakeStore) DC(_ context.Context, id string) (centre.DC, error) {
	return centre.DC{ID: id, Name: "Koramangala DC"}, nil
}
func (f *fakeStore) FailedAttempts(context.Context, string) (int, error) { return f.failed, nil }
func (f *fakeStore) OutcomeFacts(ctx context.Context, id string) (delivery.Facts, error) {
	h, err := f.Holding(ctx, id)
	if err != nil {
		return delivery.Facts{}, err
	}
	dc, _ := f.DC(ctx, f.art.DCID)
	return delivery.Facts{Holding: h, Article: f.art, DC: dc, OTP: &otp.State{ArticleID: id}, FailedAttempts: f.failed}, nil
}
func (f *fakeStore) RecordOutcome(_ context.Context, r delivery.Record) error {
	f.recorded = append(f.recorded, r)
	return nil
}
func (f *fakeStore) AssignmentOutcome(_ context.Context, assignment string) (delivery.Summary, error) {
	for _, r := range f.recorded {
		if d := r.Delivery; d.AssignmentID == assignment {
			return delivery.Summary{ID: d.ID, Outcome: d.Outcome, ArticleStatus: d.Status, Flags: d.Flags}, nil
		}
	}
	return delivery.Summary{}, postal.Errorf(postal.CodeNotFound, "no outcome for this assignment")
}
func (f *fakeStore) Deliveries(context.Context, delivery.Filter) ([]delivery.Delivery, error) {
	return nil, nil
}
func (f *fakeStore) Delivery(context.Context, string) (delivery.Delivery, error) {
	return delivery.Delivery{}, postal.Errorf(postal.CodeNotFound, "delivery not found")
}
func (f *fakeStore) AddReview(context.Context, string, delivery.Review) error { return nil }

// judge answers every code with a fixed flag.
type judge string

func (j judge) JudgeState(context.Context, *otp.State, string, bool, time.Time) (string, error) {
	return string(j), nil
}

// proofs says every named proof is a photo.
type proofs struct{}

func (proofs) Kinds(_ context.Context, _ postal.Principal, ids []string, _ string) ([]string, error) {
	out := make([]string, len(ids))
	for i := range out {
		out[i] = "photo"
	}
	return out, nil
}

var (
	now     = time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC)
	postman = postal.Principal{UserID: "post1", Role: postal.RolePostman, DCID: "dc-one"}
)

func articleID(t testing.TB) string {
	t.Helper()
	id, err := postal.NewS10("EE", 14000001, "IN")
	if err != nil {
		t.Fatal(err)
	}
	return string(id)
}

func newFake(t testing.TB, cod postal.Paise) (*delivery.Service, *fakeStore) {
	t.Helper()
	lat, lon := 12.9361, 77.6212
	id := articleID(t)
	st := &fakeStore{
		holding: otp.Holding{ArticleID: id, DCID: "dc-one", PostmanID: "post1", Out: true, ManifestID: "m1", Date: "2026-11-25", Slot: "morning"},
		art:     article.Article{ID: id, DCID: "dc-one", CODPaise: cod, Status: article.StatusOutForDelivery, Recipient: article.Recipient{Lat: &lat, Lon: &lon}},
	}
	notice := func(a article.Article, dc centre.DC, reason string) notify.Message {
		return notify.Message{ID: "sms1", Body: "could not deliver: " + reason}
	}
	svc := delivery.New(st, judge(""), proofs{}, notice, delivery.DefaultPolicy(), func() time.Time { return now }, func() string { return "d1" })
	return svc, st
}

func delivered(id string) delivery.Input {
	return delivery.Input{ArticleID: id, Outcome: delivery.Delivered, OTP: "123456", ProofIDs: []string{"p1"},
		Location: &delivery.Location{Lat: 12.9361, Lon: 77.6212, AccuracyM: 8}, CapturedAt: now.Add(-time.Minute)}
}

// TestSubmitFlags: the flags an outcome earns from what it carries.
func TestSubmitFlags(t *testing.T) {
	for _, c := range []struct {
		name   string
		cod    postal.Paise
		change func(*delivery.Input)
		want   []string
	}{
		{"clean", 0, func(*delivery.Input) {}, nil},
		{"no location", 0, func(in *delivery.Input) { in.Location = nil }, []string{delivery.FlagNoLocation}},
		{"far", 0, func(in *delivery.Input) { in.Location.Lat += 0.01 }, []string{delivery.FlagFar}},
		{"cash", 49900, func(in *delivery.Input) { in.COD = &delivery.COD{Mode: "cash", AmountPaise: 49900} }, nil},
		{"upi with its UTR", 49900, func(in *delivery.Input) {
			in.COD = &delivery.COD{Mode: "upi", AmountPaise: 49900, UPIRef: "412345678901"}
		}, nil},
		{"upi without reference", 49900, func(in *delivery.Input) { in.COD = &delivery.COD{Mode: "upi", AmountPaise: 49900} },
			[]string{delivery.FlagUPIUnconfirmed}},
		{"short upi without reference", 49900, func(in *delivery.Input) { in.COD = &delivery.COD{Mode: "upi", AmountPaise: 100} },
			[]string{delivery.FlagCODShort, delivery.FlagUPIUnconfirmed}},
		{"cod without proof", 49900, func(in *delivery.Input) {
			in.ProofIDs, in.COD = nil, &delivery.COD{Mode: "cash", AmountPaise: 49900}
		}, []string{delivery.FlagMissingProof}},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, st := newFake(t, c.cod)
			in := delivered(st.art.ID)
			c.change(&in)
			res, err := svc.Submit(context.Background(), postman, in, idem.Receipt{}, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range c.want {
				if !slices.Contains(res.Flags, f) {
					t.Errorf("flags %v lack %s", res.Flags, f)
				}
			}
			for _, f := range []string{delivery.FlagUPIUnconfirmed, delivery.FlagCODShort, delivery.FlagFar, delivery.FlagNoLocation, delivery.FlagMissingProof} {
				if slices.Contains(res.Flags, f) && !slices.Contains(c.want, f) {
					t.Errorf("flags %v: %s unexpected", res.Flags, f)
				}
			}
			if len(st.recorded) != 1 || !slices.Equal(st.recorded[0].Delivery.Flags, res.Flags) {
				t.Fatalf("recorded %+v", st.recorded)
			}
		})
	}
}

// TestSubmitRefusals: what is refused records nothing.
func TestSubmitRefusals(t *testing.T) {
	for _, c := range []struct {
		name   string
		cod    postal.Paise
		who    postal.Principal
		change func(*delivery.Input, *fakeStore)
		want   postal.Code
	}{
		{"another postman", 0, postal.Principal{UserID: "post2", Role: postal.RolePostman}, func(*delivery.Input, *fakeStore) {}, postal.CodeNotFound},
		{"a supervisor", 0, postal.Principal{UserID: "post1", Role: postal.RoleSupervisor}, func(*delivery.Input, *fakeStore) {}, postal.CodeNotFound},
		{"unknown article", 0, postman, func(in *delivery.Input, _ *fakeStore) {
			id, _ := postal.NewS10("EE", 14000002, "IN")
			in.ArticleID = string(id)
		}, postal.CodeNotFound},
		{"bad id", 0, postman, func(in *delivery.Input, _ *fakeStore) { in.ArticleID = "EE123" }, postal.CodeInvalid},
		{"short UTR", 49900, postman, func(in *delivery.Input, _ *fakeStore) {
			in.COD = &delivery.COD{Mode: "upi", AmountPaise: 49900, UPIRef: "41234567890"}
		}, postal.CodeInvalid},
		{"UTR with a letter", 49900, postman, func(in *delivery.Input, _ *fakeStore) {
			in.COD = &delivery.COD{Mode: "upi", AmountPaise: 49900, UPIRef: "4123456789O1"}
		}, postal.CodeInvalid},
		{"reference on cash", 49900, postman, func(in *delivery.Input, _ *fakeStore) {
			in.COD = &delivery.COD{Mode: "cash", AmountPaise: 49900, UPIRef: "412345678901"}
		}, postal.CodeInvalid},
		{"no money on cod", 49900, postman, func(*delivery.Input, *fakeStore) {}, postal.CodeInvalid},
		{"money on a prepaid article", 0, postman, func(in *delivery.Input, _ *fakeStore) {
			in.COD = &delivery.COD{Mode: "cash", AmountPaise: 100}
		}, postal.CodeInvalid},
		{"failed without a reason", 0, postman, func(in *delivery.Input, _ *fakeStore) {
			in.Outcome, in.OTP = delivery.Failed, ""
		}, postal.CodeInvalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, st := newFake(t, c.cod)
			in := delivered(st.art.ID)
			c.change(&in, st)
			_, err := svc.Submit(context.Background(), c.who, in, idem.Receipt{Owner: "post1", Key: "k", Status: 201}, now)
			if !postal.IsCode(err, c.want) {
				t.Fatalf("err = %v, want %s", err, c.want)
			}
			if len(st.recorded) != 0 {
				t.Fatalf("a refused outcome recorded %d rows", len(st.recorded))
			}
		})
	}
	svc, st := newFake(t, 0)
	st.holding.Out = false // its outcome is in
	if _, err := svc.Submit(context.Background(), postman, delivered(st.art.ID), idem.Receipt{}, now); err == nil || len(st.recorded) != 0 {
		t.Fatalf("a second outcome: %v, %d recorded", err, len(st.recorded))
	}
}

// TestSubmitAnswer: the answer stored with the outcome is the result, with
// the route's status from the receipt; the domain never picks a status.
func TestSubmitAnswer(t *testing.T) {
	for _, status := range []int{200, 201} {
		svc, st := newFake(t, 0)
		res, err := svc.Submit(context.Background(), postman, delivered(st.art.ID), idem.Receipt{Owner: "post1", Key: "k1", Status: status}, now)
		if err != nil {
			t.Fatal(err)
		}
		c := st.recorded[0].Completion
		want, _ := json.Marshal(res)
		if c.Owner != "post1" || c.Key != "k1" || c.Status != status || string(c.Body) != string(want)+"\n" {
			t.Fatalf("completion %+v %s, want %d %s", c, c.Body, status, want)
		}
		if res.ID != "d1" || res.ArticleStatus != article.StatusDelivered {
			t.Fatalf("result %+v", res)
		}
	}
}

// TestSubmitFailedAttempts: a failed attempt tells the recipient; the
// last allowed attempt returns the article to its sender.
func TestSubmitFailedAttempts(t *testing.T) {
	fail := func(st *fakeStore) delivery.Input {
		return delivery.Input{ArticleID: st.art.ID, Outcome: delivery.Failed, ReasonCode: "01", CapturedAt: now.Add(-time.Minute),
			Location: &delivery.Location{Lat: 12.9361, Lon: 77.6212, AccuracyM: 8}}
	}
	svc, st := newFake(t, 0)
	res, err := svc.Submit(context.Background(), postman, fail(st), idem.Receipt{}, now)
	if err != nil || res.ArticleStatus != article.StatusAttempted || st.recorded[0].SMS == nil {
		t.Fatalf("first attempt: %+v %v, sms %v", res, err, st.recorded[0].SMS)
	}
	svc, st = newFake(t, 0)
	st.failed = delivery.DefaultPolicy().MaxAttempts - 1
	res, err = svc.Submit(context.Background(), postman, fail(st), idem.Receipt{}, now)
	if err != nil || res.ArticleStatus != article.StatusReturned || st.recorded[0].SMS != nil {
		t.Fatalf("last attempt: %+v %v", res, err)
	}
}
