package tariff

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"dakiya/internal/postal"
)

// golden parses testdata/tariff.csv.
func golden(t *testing.T) *Table {
	t.Helper()
	b, err := os.ReadFile("testdata/tariff.csv")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestPriceGolden: service × zone × weight × dims × COD × discount →
// the exact breakdown in paise, with the rounding rules at their edges.
func TestPriceGolden(t *testing.T) {
	tb := golden(t)
	type want struct {
		zone       Zone
		vol, charg int
		freight    postal.Paise
		discount   postal.Paise // as listed (negative); 0: no discount line
		gst, price postal.Paise
		codFee     postal.Paise
	}
	for _, tt := range []struct {
		name string
		r    Request
		bp   int
		want want
	}{
		{"speed post local, first slab", Request{Service: "speed_post", WeightG: 400, FromPIN: "560034", ToPIN: "560001"}, 0,
			want{ZoneLocal, 0, 400, 3500, 0, 630, 4130, 0}},
		{"first slab exactly", Request{Service: "speed_post", WeightG: 500, FromPIN: "560034", ToPIN: "560001"}, 0,
			want{ZoneLocal, 0, 500, 3500, 0, 630, 4130, 0}},
		{"a gram over is a further slab", Request{Service: "speed_post", WeightG: 501, FromPIN: "560034", ToPIN: "570001"}, 0,
			want{ZoneWithinState, 0, 501, 8000, 0, 1440, 9440, 0}},
		{"metro, two slabs exactly", Request{Service: "speed_post", WeightG: 1000, FromPIN: "560034", ToPIN: "110001"}, 0,
			want{ZoneMetro, 0, 1000, 9500, 0, 1710, 11210, 0}},
		{"volumetric beats actual", Request{Service: "speed_post", WeightG: 800, Dims: &Dims{30, 20, 10}, FromPIN: "560034", ToPIN: "302001"}, 0,
			want{ZoneRest, 1200, 1200, 16500, 0, 2970, 19470, 0}},
		{"actual beats volumetric", Request{Service: "speed_post", WeightG: 800, Dims: &Dims{10, 10, 10}, FromPIN: "560034", ToPIN: "302001"}, 0,
			want{ZoneRest, 200, 800, 12000, 0, 2160, 14160, 0}},
		{"volumetric rounded up to the gram", Request{Service: "speed_post", WeightG: 1, Dims: &Dims{7, 3, 1}, FromPIN: "560034", ToPIN: "302001"}, 0,
			want{ZoneRest, 5, 5, 7500, 0, 1350, 8850, 0}},
		{"special, discount half a paisa rounds up", Request{Service: "speed_post", WeightG: 250, FromPIN: "110001", ToPIN: "190001"}, 1250,
			want{ZoneSpecial, 0, 250, 9500, -1188, 1496, 9808, 0}},
		{"within state beats metro", Request{Service: "speed_post", WeightG: 500, FromPIN: "400001", ToPIN: "411001"}, 0,
			want{ZoneWithinState, 0, 500, 5000, 0, 900, 5900, 0}},
		{"special beats within state", Request{Service: "speed_post", WeightG: 500, FromPIN: "180001", ToPIN: "190001"}, 0,
			want{ZoneSpecial, 0, 500, 9500, 0, 1710, 11210, 0}},
		{"parcel: divisor 4000, COD over ₹5,000, discount, GST half up", Request{Service: "parcel", WeightG: 2000, Dims: &Dims{40, 30, 20},
			FromPIN: "560034", ToPIN: "302001", CODPaise: 6000_00}, 500,
			want{ZoneRest, 6000, 6000, 33500, -1675, 5729, 37554, 11000}},
		{"COD minimum ₹50", Request{Service: "parcel", WeightG: 1000, FromPIN: "560034", ToPIN: "560001", CODPaise: 100_00}, 0,
			want{ZoneLocal, 0, 1000, 6000, 0, 1080, 7080, 5000}},
		{"COD 2 % rounded half up", Request{Service: "parcel", WeightG: 1000, FromPIN: "560034", ToPIN: "560001", CODPaise: 2512_25}, 0,
			want{ZoneLocal, 0, 1000, 6000, 0, 1080, 7080, 5025}},
		{"COD ₹5,000 exactly", Request{Service: "parcel", WeightG: 1000, FromPIN: "560034", ToPIN: "560001", CODPaise: 5000_00}, 0,
			want{ZoneLocal, 0, 1000, 6000, 0, 1080, 7080, 10000}},
		{"COD at the ₹50,000 cap", Request{Service: "speed_post", WeightG: 100, FromPIN: "560034", ToPIN: "560001", CODPaise: 50000_00}, 0,
			want{ZoneLocal, 0, 100, 3500, 0, 630, 4130, 55000}},
		{"letter without GST, no volumetric weight", Request{Service: "letter", WeightG: 45, Dims: &Dims{30, 20, 5}, FromPIN: "560034", ToPIN: "744101"}, 0,
			want{ZoneSpecial, 0, 45, 1500, 0, 0, 1500, 0}},
		{"a full discount", Request{Service: "letter", WeightG: 20, FromPIN: "560034", ToPIN: "560001"}, 10000,
			want{ZoneLocal, 0, 20, 500, -500, 0, 0, 0}},
		{"the heaviest parcel", Request{Service: "parcel", WeightG: 20000, FromPIN: "560034", ToPIN: "781001"}, 0,
			want{ZoneSpecial, 0, 20000, 128000, 0, 23040, 151040, 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tb.Price(tt.r, tt.bp)
			if err != nil {
				t.Fatal(err)
			}
			lines := []Line{{ItemFreight, tt.want.freight}}
			if tt.bp > 0 {
				lines = append(lines, Line{ItemDiscount, tt.want.discount})
			}
			lines = append(lines, Line{ItemGST, tt.want.gst})
			got := want{p.Zone, p.VolumetricG, p.ChargeableG, p.Breakdown[0].Paise, 0, p.Breakdown[len(p.Breakdown)-1].Paise, p.Price, p.CODFee}
			if tt.bp > 0 {
				got.discount = p.Breakdown[1].Paise
			}
			if got != tt.want || !reflect.DeepEqual(p.Breakdown, lines) {
				t.Fatalf("got %+v %v, want %+v %v", got, p.Breakdown, tt.want, lines)
			}
			var sum postal.Paise
			for _, l := range p.Breakdown {
				sum += l.Paise
			}
			if sum != p.Price {
				t.Fatalf("breakdown sums to %d, price %d", sum, p.Price)
			}
		})
	}
}

// TestCODFee: DOMAIN.md's fee at its edges.
func TestCODFee(t *testing.T) {
	for cod, want := range map[postal.Paise]postal.Paise{
		0: 0, 1: 5000, 2500_00: 5000, 2500_01: 5000, 2500_25: 5001, 3000_00: 6000, 5000_00: 10000,
		5000_49: 10000, 5000_50: 10001, 10000_00: 15000, 50000_00: 55000,
	} {
		if got := CODFee(cod); got != want {
			t.Errorf("CODFee(%d) = %d, want %d", cod, got, want)
		}
	}
}

// TestPriceRefusals: each invalid input names its field, all at once.
func TestPriceRefusals(t *testing.T) {
	tb := golden(t)
	ok := Request{Service: "speed_post", WeightG: 500, FromPIN: "560034", ToPIN: "110001"}
	for _, tt := range []struct {
		name   string
		edit   func(r *Request)
		fields []string
	}{
		{"unknown service", func(r *Request) { r.Service = "courier" }, []string{"service"}},
		{"service not in the tariff", func(r *Request) { r.Service = "registered" }, []string{"service"}},
		{"zero weight", func(r *Request) { r.WeightG = 0 }, []string{"weight_g"}},
		{"negative weight", func(r *Request) { r.WeightG = -5 }, []string{"weight_g"}},
		{"over the maximum", func(r *Request) { r.WeightG = 35001 }, []string{"weight_g"}},
		{"malformed PINs", func(r *Request) { r.FromPIN, r.ToPIN = "12345", "012345" }, []string{"from_pin", "to_pin"}},
		{"unallocated PIN", func(r *Request) { r.ToPIN = "290001" }, []string{"to_pin"}},
		{"Army Postal Service", func(r *Request) { r.FromPIN = "999999" }, []string{"from_pin"}},
		{"zero and huge dims", func(r *Request) { r.Dims = &Dims{0, 151, -1} }, []string{"dims_cm.l", "dims_cm.b", "dims_cm.h"}},
		{"volumetric over the maximum", func(r *Request) { r.Dims = &Dims{150, 150, 150} }, []string{"dims_cm"}},
		{"COD over the cap", func(r *Request) { r.CODPaise = 50000_01 }, []string{"cod_paise"}},
		{"negative COD", func(r *Request) { r.CODPaise = -1 }, []string{"cod_paise"}},
		{"COD on a letter", func(r *Request) { r.Service, r.WeightG, r.CODPaise = "letter", 20, 100_00 }, []string{"cod_paise"}},
		{"everything", func(r *Request) { *r = Request{Service: "x", FromPIN: "1"} }, []string{"service", "from_pin", "to_pin", "weight_g"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			_, err := tb.Price(r, 0)
			var e *postal.Error
			if !asError(err, &e) || e.Code != postal.CodeInvalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("fields %v, want %v (%v)", got, tt.fields, e.Fields)
			}
		})
	}
}

// TestPriceDefaultTariff: the shipped tariff prices registered articles
// (absent from the golden tariff) in 20 g slabs, without volumetric
// weight or COD.
func TestPriceDefaultTariff(t *testing.T) {
	b, err := os.ReadFile("../../assets/tariffs/default.csv")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tb.Price(Request{Service: "registered", WeightG: 75, Dims: &Dims{30, 30, 30}, FromPIN: "560034", ToPIN: "795001"}, 250)
	if err != nil {
		t.Fatal(err)
	}
	// ₹32 for 20 g + 3 × ₹6 = 5000; 2.5 % off = 125; GST 18 % of 4875 = 877.5 → 878.
	want := []Line{{ItemFreight, 5000}, {ItemDiscount, -125}, {ItemGST, 878}}
	if p.Zone != ZoneSpecial || p.ChargeableG != 75 || p.VolumetricG != 0 || !reflect.DeepEqual(p.Breakdown, want) || p.Price != 5753 {
		t.Fatalf("%+v", p)
	}
	if _, err := tb.Price(Request{Service: "registered", WeightG: 75, FromPIN: "560034", ToPIN: "795001", CODPaise: 100}, 0); !postal.IsCode(err, postal.CodeInvalid) {
		t.Fatalf("COD on registered: %v", err)
	}
}
