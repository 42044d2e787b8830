package article

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// normalize validates in and returns it in canonical form (upper-case id,
// +91 phone, trimmed text), or the list of what is wrong with it.
func normalize(in Input) (Input, []postal.FieldError) {
	var fe []postal.FieldError
	if id, err := postal.ParseS10(in.ID); err != nil {
		fe = append(fe, postal.FieldError{Field: "id", Message: messageOf(err)})
	} else {
		in.ID = string(id)
	}
	in, more := Normalize(in, false)
	return in, append(fe, more...)
}

// Normalize checks and canonicalises everything of an input but its id
// (service, recipient, COD, slot preference), as a centre's batch and a
// partner's booking both do. With withID it also checks the id (an S10
// with a good check digit) and upper-cases it; a partner whose id Dakiya
// allocates leaves it out.
func Normalize(in Input, withID bool) (Input, []postal.FieldError) {
	if withID {
		return normalize(in)
	}
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: f, Message: m}) }
	if !in.Service.Valid() {
		add("service", "must be speed_post, registered, parcel or letter")
	}
	fe = append(fe, normalizeRecipient(&in.Recipient)...)
	if in.CODPaise < 0 || in.CODPaise > int64(postal.MaxCOD) {
		add("cod_paise", fmt.Sprintf("must be between 0 and %d paise", int64(postal.MaxCOD)))
	}
	if in.SlotPreference != "" && !in.SlotPreference.Valid() {
		add("slot_preference", "must be morning, evening or sunday")
	}
	return in, fe
}

func normalizeRecipient(r *Recipient) []postal.FieldError {
	var fe []postal.FieldError
	add := func(f, m string) { fe = append(fe, postal.FieldError{Field: "recipient." + f, Message: m}) }
	text := func(f string, v *string, maxLen int) {
		*v = strings.Join(strings.Fields(*v), " ")
		if *v == "" || utf8.RuneCountInString(*v) > maxLen {
			add(f, fmt.Sprintf("required, at most %d characters", maxLen))
		}
	}
	text("name", &r.Name, 100)
	text("address", &r.Address, 300)
	if p, err := postal.NormalizePhone(r.Phone); err != nil {
		add("phone", "must be an Indian mobile number (+91 and 10 digits)")
	} else {
		r.Phone = p
	}
	if !postal.ValidPIN(r.PIN) {
		add("pin", "must be a six-digit PIN code")
	}
	switch {
	case (r.Lat == nil) != (r.Lon == nil):
		add("lat", "lat and lon go together")
	case r.Lat != nil:
		if _, err := postal.EncodeDIGIPIN(*r.Lat, *r.Lon); err != nil {
			add("lat", "lat/lon must lie within India's DIGIPIN grid")
		}
	}
	return fe
}

// messageOf returns the client-safe message of a classified error.
func messageOf(err error) string {
	if e, ok := err.(*postal.Error); ok {
		return e.Message
	}
	return "invalid"
}

// contentHash fingerprints a normalized input, so a resubmission can be told
// from a different article under the same id.
func contentHash(in Input) string {
	b, _ := json.Marshal(in) // a struct of plain fields always marshals
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
