package delivery

import "dakiya/internal/postal"

// FlagUPIUnconfirmed marks a UPI collection sent without its reference: a
// supervisor checks the centre's account before trusting it.
const FlagUPIUnconfirmed = "upi_unconfirmed"

// isUTR reports whether ref is a UPI transaction reference (UTR): exactly
// 12 digits.
func isUTR(ref string) bool {
	if len(ref) != 12 {
		return false
	}
	for _, r := range ref {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// checkCOD checks the money an outcome carries: cash or UPI, an amount in
// range, and a reference only for UPI, where it must be a UTR.
func checkCOD(c *COD) []postal.FieldError {
	if c == nil {
		return nil
	}
	var fe []postal.FieldError
	if c.Mode != "cash" && c.Mode != "upi" || c.AmountPaise < 0 || c.AmountPaise > int64(postal.MaxCOD) {
		fe = append(fe, postal.FieldError{Field: "cod", Message: "mode cash or upi, amount_paise 0..5000000"})
	}
	switch {
	case c.UPIRef == "":
	case c.Mode != "upi":
		fe = append(fe, postal.FieldError{Field: "cod.upi_ref", Message: "only for a UPI collection"})
	case !isUTR(c.UPIRef):
		fe = append(fe, postal.FieldError{Field: "cod.upi_ref", Message: "the UPI reference (UTR): exactly 12 digits"})
	}
	return fe
}

// codFlags flags a UPI collection whose reference is missing.
func codFlags(c *COD) []string {
	if c != nil && c.Mode == "upi" && c.UPIRef == "" {
		return []string{FlagUPIUnconfirmed}
	}
	return nil
}
