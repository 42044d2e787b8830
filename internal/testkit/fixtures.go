package testkit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/centre"
	"dakiya/internal/notify"
	"dakiya/internal/postal"
	"dakiya/internal/store"
)

// Centre is a small delivery centre for tests: Koramangala, Bengaluru,
// with a supervisor, two postmen and two beats split by PIN code (beat-a:
// 560034 for postman A, beat-b: 560095 for postman B), and a second
// centre in Jaipur with its own supervisor.
type Centre struct {
	DB          *store.DB
	Clock       *Clock
	Auth        *auth.Service
	Articles    *article.Service
	DC          centre.DC
	Supervisor  postal.Principal
	PostmanA    postal.Principal
	PostmanB    postal.Principal
	Supervisor2 postal.Principal // of the other centre, dc-two
	Admin       postal.Principal
}

// Password is every fixture user's password.
const Password = "fixture-password"

// NewCentre builds the fixture on db with a clock standing at now.
func NewCentre(t testing.TB, db *store.DB, now time.Time) *Centre {
	t.Helper()
	ctx := context.Background()
	c := &Centre{DB: db, Clock: NewClock(now)}
	a, err := auth.New(db, []byte("fixture signing key, thirty-two b"), auth.DefaultPolicy(), c.Clock.Now, uuid.NewString)
	if err != nil {
		t.Fatal(err)
	}
	c.Auth, c.Articles = a, article.New(db, c.Clock.Now)
	c.Admin = postal.Principal{UserID: "fixture-admin", Username: "admin", Role: postal.RoleAdmin}
	centres := centre.New(db, c.Clock.Now, uuid.NewString)
	for _, dc := range []centre.DC{
		{ID: "dc-one", Name: "Koramangala DC", Address: "80 Feet Road", PIN: "560034", Lat: 12.9352, Lon: 77.6245,
			UPIVPA: "koramangala.dc@ippb"},
		{ID: "dc-two", Name: "Jaipur City DC", Address: "M.I. Road", PIN: "302001", Lat: 26.9157, Lon: 75.8036},
	} {
		must(t, err2(centres.Create(ctx, c.Admin, dc)))
	}
	c.Supervisor = c.user(t, "sup1", postal.RoleSupervisor, "dc-one")
	c.PostmanA = c.user(t, "posta", postal.RolePostman, "dc-one")
	c.PostmanB = c.user(t, "postb", postal.RolePostman, "dc-one")
	c.Supervisor2 = c.user(t, "sup2", postal.RoleSupervisor, "dc-two")
	for _, b := range []centre.Beat{
		{ID: "beat-a", DCID: "dc-one", Name: "Beat A", PostmanID: c.PostmanA.UserID, PINs: []string{"560034"}},
		{ID: "beat-b", DCID: "dc-one", Name: "Beat B", PostmanID: c.PostmanB.UserID, PINs: []string{"560095"}},
	} {
		must(t, err2(centres.AddBeat(ctx, c.Admin, b)))
	}
	dc, err := db.DC(ctx, "dc-one")
	must(t, err)
	c.DC = dc
	return c
}

func (c *Centre) user(t testing.TB, name string, role postal.Role, dc string) postal.Principal {
	t.Helper()
	u, err := c.Auth.CreateUser(context.Background(), auth.NewUser{Username: name, Name: name, Role: role, DCID: dc, Password: Password})
	must(t, err)
	return postal.Principal{UserID: u.ID, Username: u.Username, Role: u.Role, DCID: u.DCID}
}

// ArticleSpec describes a fixture article.
type ArticleSpec struct {
	Serial  int            // makes the S10 id
	Service postal.Service // default registered
	PIN     string         // default 560034 (beat-a)
	Lat     float64        // default: a spot near the centre, varied by serial
	Lon     float64
	Address string // default varies by serial
	Phone   string // default varies by serial
	COD     int64
	Pref    postal.Slot
}

// Book books articles into dc-one as its supervisor and returns their ids.
func (c *Centre) Book(t testing.TB, specs ...ArticleSpec) []string {
	t.Helper()
	ins := make([]article.Input, len(specs))
	for i, s := range specs {
		ins[i] = s.input(t)
	}
	res, err := c.Articles.Create(context.Background(), c.Supervisor, "dc-one", ins, nil)
	must(t, err)
	if len(res.Errors) > 0 || len(res.Created) != len(specs) {
		t.Fatalf("testkit: book: %+v", res)
	}
	return res.Created
}

func (s ArticleSpec) input(t testing.TB) article.Input {
	id, err := postal.NewS10("RR", s.Serial, "IN")
	must(t, err)
	if s.Service == "" {
		s.Service = postal.ServiceRegistered
	}
	if s.PIN == "" {
		s.PIN = "560034"
	}
	if s.Lat == 0 {
		s.Lat, s.Lon = 12.9352+float64(s.Serial%97)*0.0004, 77.6245+float64(s.Serial%89)*0.0004
	}
	if s.Address == "" {
		s.Address = fmt.Sprintf("No. %d, 5th Cross, Koramangala", s.Serial)
	}
	if s.Phone == "" {
		s.Phone = fmt.Sprintf("+9198%08d", s.Serial%100_000_000)
	}
	lat, lon := s.Lat, s.Lon
	return article.Input{ID: string(id), Service: s.Service, CODPaise: s.COD, SlotPreference: s.Pref,
		Recipient: article.Recipient{Name: "Recipient " + fmt.Sprint(s.Serial), Phone: s.Phone,
			Address: s.Address, PIN: s.PIN, Lat: &lat, Lon: &lon}}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func err2[T any](_ T, err error) error { return err }

// SMSSealer returns the sealer for codes in queued SMS, with a test key.
func SMSSealer(t testing.TB) notify.Sealer {
	t.Helper()
	s, err := notify.NewSealer([]byte("sms seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
