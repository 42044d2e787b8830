package config

import "testing"

func TestLoginConcurrency(t *testing.T) {
	cases := []struct {
		value string
		want  int
		ok    bool
	}{
		{"", 0, true}, {"auto", 0, true}, {"1", 1, true}, {" 8 ", 8, true}, {"256", 256, true},
		{"0", 0, false}, {"-1", 0, false}, {"257", 0, false}, {"many", 0, false}, {"2.5", 0, false},
	}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			m := base()
			m["DAKIYA_LOGIN_CONCURRENCY"] = c.value
			got, err := Load(getenv(m), noFiles)
			if (err == nil) != c.ok || got.LoginConcurrency != c.want {
				t.Fatalf("DAKIYA_LOGIN_CONCURRENCY=%q: %d, %v; want %d (ok %v)", c.value, got.LoginConcurrency, err, c.want, c.ok)
			}
		})
	}
}
