package tariff

// This file is the pricing itself, pure: a request and a tariff in, a
// price out. Money is integer paise throughout.

import (
	"fmt"

	"dakiya/internal/postal"
)

// Limits on what a request may say.
const (
	maxDimCM = 150 // no side longer than 1.5 m, India Post's longest parcel
	// maxDiscountBP bounds a contract discount, whatever the partner says.
	maxDiscountBP = 10_000
)

// Breakdown items, in the order a quote lists them.
const (
	ItemFreight  = "freight"           // the tariff's slab price for the chargeable weight
	ItemDiscount = "contract_discount" // the partner's discount on freight (negative)
	ItemGST      = "gst"               // GST on the discounted freight
)

// services lists the postal services a tariff may price.
func services() []postal.Service {
	return []postal.Service{postal.ServiceSpeedPost, postal.ServiceRegistered, postal.ServiceParcel, postal.ServiceLetter}
}

// Priced is what a tariff makes of one request.
type Priced struct {
	Zone        Zone
	VolumetricG int // 0 without dimensions or for a service without volumetric weight
	ChargeableG int
	Slabs       int // the first slab and the further ones
	Breakdown   []Line
	Price       postal.Paise // the sum of Breakdown
	CODFee      postal.Paise
}

// Price works out r's price under t for a partner with a contract
// discount of discountBP basis points. Rounding, documented in
// assets/openapi.yaml (Quote):
//
//   - volumetric weight is L×B×H cm³ × 1000 / divisor grams, rounded up
//     to the gram; chargeable weight is the larger of it and the actual;
//   - further slabs are counted rounded up: a gram over a slab is a slab;
//   - the discount (freight × bp / 10000) and GST ((freight − discount) ×
//     gst_bp / 10000) are each rounded to the nearest paisa, half a paisa
//     up;
//   - the COD fee (not part of the price: withheld from the remittance) is
//     2 % of the amount, at least ₹50, up to ₹5,000; above that ₹100 + 1 %
//     of the excess; each per cent rounded like GST. There is no COD fee
//     without COD.
//
// Every invalid field is reported at once as a CodeInvalid error.
func (t *Table) Price(r Request, discountBP int) (Priced, error) {
	rate, fields := t.check(r)
	if len(fields) > 0 {
		return Priced{}, postal.Invalid("the article cannot be priced", fields...)
	}
	p := Priced{Zone: rate.Zone, VolumetricG: volumetricG(r.Dims, rate.VolumetricDivisor)}
	p.ChargeableG = max(r.WeightG, p.VolumetricG)
	p.Slabs = 1
	freight := rate.FirstPaise
	if extra := p.ChargeableG - rate.FirstG; extra > 0 {
		further := (extra + rate.SlabG - 1) / rate.SlabG
		p.Slabs += further
		freight += postal.Paise(further) * rate.AdditionalPaise
	}
	discountBP = min(max(discountBP, 0), maxDiscountBP)
	p.Breakdown = []Line{{Item: ItemFreight, Paise: freight}}
	discount := percentBP(freight, discountBP)
	if discountBP > 0 {
		p.Breakdown = append(p.Breakdown, Line{Item: ItemDiscount, Paise: -discount})
	}
	gst := percentBP(freight-discount, rate.GSTBP)
	p.Breakdown = append(p.Breakdown, Line{Item: ItemGST, Paise: gst})
	p.Price = freight - discount + gst
	p.CODFee = CODFee(r.CODPaise)
	return p, nil
}

// check validates r against t and returns the rate that prices it.
func (t *Table) check(r Request) (Rate, []postal.FieldError) {
	var fields []postal.FieldError
	bad := func(field, format string, args ...any) {
		fields = append(fields, postal.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	svc, known := t.service(r.Service)
	switch {
	case !r.Service.Valid():
		bad("service", "unknown service (speed_post, registered, parcel, letter)")
	case !known:
		bad("service", "the tariff in force does not price %s", r.Service)
	}
	fromOK, toOK := checkPIN("from_pin", r.FromPIN, bad), checkPIN("to_pin", r.ToPIN, bad)
	if r.WeightG <= 0 {
		bad("weight_g", "must be a positive number of grams")
	} else if known && r.WeightG > svc.MaxWeightG {
		bad("weight_g", "%s takes at most %d g", r.Service, svc.MaxWeightG)
	}
	if r.Dims != nil {
		checkDims(*r.Dims, bad)
		if v := volumetricG(r.Dims, svc.VolumetricDivisor); known && len(fields) == 0 && v > svc.MaxWeightG {
			bad("dims_cm", "volumetric weight %d g is over the %d g %s takes", v, svc.MaxWeightG, r.Service)
		}
	}
	switch {
	case r.CODPaise < 0:
		bad("cod_paise", "must not be negative")
	case r.CODPaise > postal.MaxCOD:
		bad("cod_paise", "cash on delivery is at most %d paise (₹50,000)", int64(postal.MaxCOD))
	case r.CODPaise > 0 && known && !svc.COD:
		bad("cod_paise", "%s does not take cash on delivery", r.Service)
	}
	if len(fields) > 0 || !fromOK || !toOK {
		return Rate{}, fields
	}
	rate, _ := t.rate(r.Service, ZoneOf(r.FromPIN, r.ToPIN))
	return rate, nil
}

// checkPIN reports a PIN that is malformed or in no known state.
func checkPIN(field, pin string, bad func(field, format string, args ...any)) bool {
	switch {
	case !postal.ValidPIN(pin):
		bad(field, "must be a six-digit PIN code")
	case stateOf(pin) == "":
		bad(field, "PIN %s is in no state Dakiya prices (unallocated, or the Army Postal Service)", pin)
	default:
		return true
	}
	return false
}

// checkDims reports sides out of range.
func checkDims(d Dims, bad func(field, format string, args ...any)) {
	for _, s := range []struct {
		name string
		cm   int
	}{{"l", d.L}, {"b", d.B}, {"h", d.H}} {
		if s.cm <= 0 || s.cm > maxDimCM {
			bad("dims_cm."+s.name, "must be a whole number of centimetres from 1 to %d", maxDimCM)
		}
	}
}

// volumetricG is the volumetric weight in grams, rounded up; 0 without
// dimensions or divisor.
func volumetricG(d *Dims, divisor int) int {
	if d == nil || divisor <= 0 || d.L <= 0 || d.B <= 0 || d.H <= 0 {
		return 0
	}
	cm3 := int64(d.L) * int64(d.B) * int64(d.H)
	return int((cm3*1000 + int64(divisor) - 1) / int64(divisor))
}

// percentBP is p × bp / 10000 rounded to the nearest paisa, half up (p
// and bp are never negative here).
func percentBP(p postal.Paise, bp int) postal.Paise {
	return (p*postal.Paise(bp) + 5000) / 10000
}

// CODFee is India Post's fee for collecting cod (DOMAIN.md): 2 %, at
// least ₹50, up to ₹5,000; above that ₹100 + 1 % of the excess. Zero
// without COD.
func CODFee(cod postal.Paise) postal.Paise {
	const threshold = 5_000_00
	switch {
	case cod <= 0:
		return 0
	case cod <= threshold:
		return max(percentBP(cod, 200), 50_00)
	}
	return 100_00 + percentBP(cod-threshold, 100)
}
