package postal

import "testing"

func TestPaiseRupees(t *testing.T) {
	tests := []struct {
		in   Paise
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{100, "1.00"},
		{123456, "1234.56"},
		{-250, "-2.50"},
		{-5, "-0.05"},
		{MaxCOD, "50000.00"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.Rupees(); got != tt.want {
				t.Errorf("Paise(%d).Rupees() = %q, want %q", int64(tt.in), got, tt.want)
			}
		})
	}
}
