package partner

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/postal"
)

var (
	ifscPattern    = regexp.MustCompile(`^[A-Z]{4}0[A-Z0-9]{6}$`)
	accountPattern = regexp.MustCompile(`^[0-9]{9,18}$`)
	gstinPattern   = regexp.MustCompile(`^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$`)
)

// maxDiscountBP caps a contract discount at 50 %.
const maxDiscountBP = 5000

func (in Input) validate() (Partner, error) {
	var errs []postal.FieldError
	add := func(field, msg string) { errs = append(errs, postal.FieldError{Field: field, Message: msg}) }
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		add("name", "required, at most 200 characters")
	}
	gstin := strings.ToUpper(strings.TrimSpace(in.GSTIN))
	if gstin != "" && !ValidGSTIN(gstin) {
		add("gstin", "not a valid GSTIN (15 characters with a correct check character)")
	}
	if strings.TrimSpace(in.BillingDC) == "" {
		add("billing_dc", "required")
	}
	var remit *Remittance
	if in.Remittance != nil {
		remit = &Remittance{Account: strings.TrimSpace(in.Remittance.Account), IFSC: strings.ToUpper(strings.TrimSpace(in.Remittance.IFSC))}
		if !accountPattern.MatchString(remit.Account) {
			add("remittance.account", "9 to 18 digits")
		}
		if !ifscPattern.MatchString(remit.IFSC) {
			add("remittance.ifsc", "an IFSC: 4 letters, 0, then 6 letters or digits")
		}
	}
	if in.DiscountBP < 0 || in.DiscountBP > maxDiscountBP {
		add("discount_bp", "0 to 5000 basis points")
	}
	if len(errs) > 0 {
		return Partner{}, postal.Invalid("invalid partner", errs...)
	}
	return Partner{Name: name, GSTIN: gstin, BillingDC: strings.TrimSpace(in.BillingDC), Remittance: remit, DiscountBP: in.DiscountBP}, nil
}

func (in KeyInput) validate(now time.Time) (Key, error) {
	var errs []postal.FieldError
	add := func(field, msg string) { errs = append(errs, postal.FieldError{Field: field, Message: msg}) }
	if len(in.Scopes) == 0 {
		add("scopes", "at least one of book, track, webhooks, ondc")
	}
	var scopes []postal.Scope
	for _, s := range in.Scopes {
		switch {
		case !s.Valid():
			add("scopes", "unknown scope "+string(s))
		case !slices.Contains(scopes, s):
			scopes = append(scopes, s)
		}
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		add("expires_at", "must be in the future")
	}
	rate := in.RatePerMin
	if rate == 0 {
		rate = DefaultRatePerMin
	}
	if rate < 1 || rate > MaxRatePerMin {
		add("rate_per_min", "1 to 60000")
	}
	if len(errs) > 0 {
		return Key{}, postal.Invalid("invalid API key", errs...)
	}
	var exp *time.Time
	if in.ExpiresAt != nil {
		t := in.ExpiresAt.UTC().Truncate(time.Millisecond)
		exp = &t
	}
	return Key{Scopes: scopes, ExpiresAt: exp, RatePerMin: rate}, nil
}

// gstinChars are the characters of a GSTIN's checksum alphabet, in order.
const gstinChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// ValidGSTIN checks a GSTIN's shape and its check character: the first 14
// characters' values in base 36, weighted alternately 1 and 2, each
// product split into quotient and remainder by 36 and summed; the check
// character is (36 − sum mod 36) mod 36.
func ValidGSTIN(g string) bool {
	if !gstinPattern.MatchString(g) {
		return false
	}
	sum := 0
	for i := 0; i < 14; i++ {
		v := strings.IndexByte(gstinChars, g[i]) * (1 + i%2)
		sum += v/36 + v%36
	}
	return gstinChars[(36-sum%36)%36] == g[14]
}

// apply checks a patch and returns p changed by it.
func (in Patch) apply(p Partner) (Partner, error) {
	if in.Name == nil && in.Billing == nil && in.DiscountBP == nil && in.Remittance == nil {
		return Partner{}, postal.Invalid("nothing to change: send name, billing, discount_bp or remittance")
	}
	if in.Billing != nil && !in.Billing.Valid() {
		return Partner{}, postal.Invalid("invalid partner", postal.FieldError{Field: "billing", Message: "prepaid or account"})
	}
	whole := Input{Name: p.Name, GSTIN: p.GSTIN, BillingDC: p.BillingDC, Remittance: p.Remittance, DiscountBP: p.DiscountBP}
	if in.Name != nil {
		whole.Name = *in.Name
	}
	if in.DiscountBP != nil {
		whole.DiscountBP = *in.DiscountBP
	}
	if in.Remittance != nil {
		whole.Remittance = in.Remittance
	}
	q, err := whole.validate()
	if err != nil {
		return Partner{}, err
	}
	p.Name, p.DiscountBP, p.Remittance = q.Name, q.DiscountBP, q.Remittance
	if in.Billing != nil {
		p.Billing = *in.Billing
	}
	return p, nil
}
