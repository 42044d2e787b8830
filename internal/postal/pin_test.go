package postal

import "testing"

func TestValidPIN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"110001", true}, // New Delhi GPO
		{"400001", true}, // Mumbai GPO
		{"560001", true},
		{"999999", true}, // Army Postal Service range; form only
		{"100000", true},
		{"011000", false},
		{"000000", false},
		{"11000", false},
		{"1100011", false},
		{"", false},
		{"11000a", false},
		{"110 001", false},
		{" 110001", false},
		{"११०००१", false}, // Devanagari digits are not accepted
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ValidPIN(tt.in); got != tt.want {
				t.Errorf("ValidPIN(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"9876543210", "+919876543210"},
		{"+919876543210", "+919876543210"},
		{"919876543210", "+919876543210"},
		{"09876543210", "+919876543210"},
		{"+91 98765 43210", "+919876543210"},
		{"+91-98765-43210", "+919876543210"},
		{"098765-43210", "+919876543210"},
		{" 98765 43210 ", "+919876543210"},
		{"6000000000", "+916000000000"},
		{"7012345678", "+917012345678"},
		{"8123456789", "+918123456789"},
		{"9123456789", "+919123456789"}, // ten digits starting 91, not a prefix
		{"91 91234 56789", "+919123456789"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNormalizePhoneInvalid(t *testing.T) {
	tests := []struct {
		name, in, msg string
	}{
		{"empty", "", "10 digits"},
		{"nine digits", "987654321", "10 digits"},
		{"eleven digits", "98765432101", "10 digits"},
		{"landline start", "1123456789", "start with 6, 7, 8 or 9"},
		{"starts with 5", "+915123456789", "start with 6, 7, 8 or 9"},
		{"zero then landline", "01123456789", "start with 6, 7, 8 or 9"},
		{"other country", "+449876543210", "10 digits"},
		{"plus without 91", "+9876543210", "10 digits"},
		{"double prefix", "+9109876543210", "10 digits"},
		{"international 00", "00919876543210", "10 digits"},
		{"letters", "98765abcde", "10 digits"},
		{"parentheses", "(98765) 43210", "10 digits"},
		{"dots", "98765.43210", "10 digits"},
		{"plus in the middle", "98765+43210", "10 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if err == nil {
				t.Fatalf("NormalizePhone(%q) = %q, want an error", tt.in, got)
			}
			wantInvalid(t, err, tt.msg)
		})
	}
}
