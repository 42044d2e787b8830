package tariff

import (
	"os"
	"strings"
	"testing"

	"dakiya/internal/postal"
)

const header = "service,zone,first_g,first_paise,slab_g,additional_paise,max_weight_g,volumetric_divisor,cod,gst_bp\n"

// letterRows prices letters in every zone, from line 2 on.
func letterRows() string {
	var b strings.Builder
	for _, z := range Zones() {
		b.WriteString("letter," + string(z) + ",20,500,20,500,2000,0,no,1800\n")
	}
	return b.String()
}

// TestParseDefault: the shipped default tariff parses and prices every
// service in every zone.
func TestParseDefault(t *testing.T) {
	b, err := os.ReadFile("../../assets/tariffs/default.csv")
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rates) != len(services())*len(Zones()) {
		t.Fatalf("%d rates", len(tb.Rates))
	}
}

// TestParseErrors: every problem is "row N: column" with a message, and
// any problem refuses the file.
func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name, csv string
		want      []string // field names, in order
	}{
		{"empty", "", nil},
		{"header only", header, nil},
		{"unknown and missing columns", "service,zone,colour\nletter,local,red\n",
			[]string{"row 1: colour", "row 1: first_g", "row 1: first_paise", "row 1: slab_g", "row 1: additional_paise",
				"row 1: max_weight_g", "row 1: volumetric_divisor", "row 1: cod", "row 1: gst_bp"}},
		{"bad fields", header + "courier,moon,0,-1,x,5,10,500,maybe,9000\n",
			[]string{"row 2: service", "row 2: zone", "row 2: first_g", "row 2: first_paise", "row 2: slab_g",
				"row 2: volumetric_divisor", "row 2: cod", "row 2: gst_bp"}},
		{"max below first", header + strings.Replace(letterRows(), "letter,metro,20,500,20,500,2000", "letter,metro,20,500,20,500,10", 1),
			[]string{"row 4: max_weight_g"}},
		{"duplicate zone", header + letterRows() + "letter,local,20,500,20,500,2000,0,no,1800\n", []string{"row 7: zone"}},
		{"service columns disagree", header + strings.Replace(letterRows(), "special,20,500,20,500,2000,0,no,1800", "special,20,500,20,500,2000,0,yes,0", 1),
			[]string{"row 6: cod", "row 6: gst_bp"}},
		{"missing zones", header + "# a comment\nletter,local,20,500,20,500,2000,0,no,1800\n",
			[]string{"row 3: zone", "row 3: zone", "row 3: zone", "row 3: zone"}},
		{"bad quoting", header + "letter,\"local,20\n", []string{"row 2: csv"}},
		{"too many fields", header + "letter,local,20,500,20,500,2000,0,no,1800,extra\n", []string{"row 2: csv"}},
		{"not UTF-8", header + "letter,\xff\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.csv))
			var e *postal.Error
			if !asError(err, &e) || e.Code != postal.CodeInvalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
				if f.Message == "" {
					t.Errorf("%s has no message", f.Field)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("fields %q, want %q (%v)", got, tt.want, e.Fields)
			}
		})
	}
}

// TestParseRowLimit: a tariff has at most maxRows rows.
func TestParseRowLimit(t *testing.T) {
	csv := header + strings.Repeat("letter,local,20,500,20,500,2000,0,no,1800\n", maxRows+1)
	_, err := Parse([]byte(csv))
	if !postal.IsCode(err, postal.CodeInvalid) {
		t.Fatalf("err = %v", err)
	}
}
