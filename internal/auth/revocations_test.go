package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestEndedSessionsRefuseAccessTokens: disabling a user or giving them a
// new password refuses the access tokens they already hold at once on the
// replica that did it and, after its next load, on another replica of the
// same database; a new login works, and other users are not touched.
func TestEndedSessionsRefuseAccessTokens(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		other, err := auth.New(db, key, auth.DefaultPolicy(), f.clock.Now, uuid.NewString) // a second replica
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateUser(ctx, auth.NewUser{Username: "bala", Name: "Bala", Role: postal.RoleSupervisor,
			DCID: "dc-one", Password: "battery staple"}); err != nil {
			t.Fatal(err)
		}
		asha, err := f.svc.Login(ctx, "asha", "correct horse", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		bala, err := f.svc.Login(ctx, "bala", "battery staple", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		accepts := func(svc *auth.Service, token, who string) {
			t.Helper()
			if _, err := svc.Authenticate(token); err != nil {
				t.Fatalf("%s's token refused: %v", who, err)
			}
		}
		refuses := func(svc *auth.Service, token, who string) {
			t.Helper()
			_, err := svc.Authenticate(token)
			wantCode(t, err, postal.CodeUnauthenticated)
		}
		load := func() {
			t.Helper()
			if err := other.LoadRevocations(ctx); err != nil {
				t.Fatal(err)
			}
		}
		load()
		accepts(other, asha.AccessToken, "asha")

		admin := postal.Principal{Role: postal.RoleAdmin, UserID: "root"}
		f.clock.Advance(time.Minute)
		yes, no := true, false
		if _, err := f.svc.UpdateUser(ctx, admin, f.user.ID, auth.Patch{Disabled: &yes}); err != nil {
			t.Fatal(err)
		}
		refuses(f.svc, asha.AccessToken, "disabled asha")
		accepts(other, asha.AccessToken, "asha, before the other replica loads") // the documented window
		load()
		refuses(other, asha.AccessToken, "disabled asha")
		accepts(f.svc, bala.AccessToken, "bala")
		accepts(other, bala.AccessToken, "bala")

		// Enabled again with a new password: the old token stays refused,
		// a new login's token is accepted on both.
		f.clock.Advance(time.Minute)
		pw := "a brand new password"
		if _, err := f.svc.UpdateUser(ctx, admin, f.user.ID, auth.Patch{Disabled: &no, Password: &pw}); err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Login(ctx, "asha", pw, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		load()
		for _, svc := range []*auth.Service{f.svc, other} {
			refuses(svc, asha.AccessToken, "asha's token from before")
			accepts(svc, again.AccessToken, "asha's new token")
		}
	})
}
