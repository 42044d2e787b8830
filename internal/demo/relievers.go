package demo

import (
	"context"
	"fmt"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
)

// relieversOf are a centre's postmen without a beat of their own: off by
// default in the roster, they stand in for a postman on leave when the
// supervisor puts them on duty covering that postman's beat, so a slot
// with someone away still has every beat walked.
func relieversOf(dcID string) []staff {
	switch dcID {
	case "blr-koramangala":
		return []staff{{"postman5", "Venkatesh Naik", "en"}}
	case "jaipur-city":
		return []staff{{"postman6", "Suresh Kumar Saini", "hi"}, {"postman7", "Farhan Qureshi", "hi"}}
	}
	return nil
}

// relievers creates the centre's relievers.
func (l *loader) relievers(ctx context.Context, dcID string) error {
	for _, s := range relieversOf(dcID) {
		if _, err := l.d.Auth.CreateUser(ctx, auth.NewUser{Username: s.username, Name: s.name, Role: postal.RolePostman,
			DCID: dcID, Locale: s.locale, Password: Password}); err != nil {
			return fmt.Errorf("demo: create reliever %s: %w", s.username, err)
		}
		l.sum.Users++
	}
	return nil
}
