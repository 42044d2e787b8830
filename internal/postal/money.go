package postal

import "fmt"

// Paise is an amount of Indian money in paise (1 rupee = 100 paise). Money is
// never held in floating point.
type Paise int64

// MaxCOD is the largest cash-on-delivery amount India Post accepts for one
// article: ₹50,000.
const MaxCOD Paise = 50_000_00

// Rupees formats p as rupees with two decimals, e.g. "1234.50", the form a
// UPI link's am= parameter takes.
func (p Paise) Rupees() string {
	sign := ""
	v := uint64(p)
	if p < 0 {
		sign, v = "-", -v // two's complement: right even for the minimum
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}
