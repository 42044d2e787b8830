package config

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func getenv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func noFiles(string) ([]byte, error) { return nil, errors.New("no files here") }

func base() map[string]string {
	return map[string]string{"DAKIYA_S3_ACCESS_KEY": "access", "DAKIYA_S3_SECRET_KEY": "s3-secret-value"}
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(getenv(base()), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DB != "sqlite:var/dakiya.db" || c.S3.Endpoint != "http://127.0.0.1:9000" ||
		c.S3.Bucket != "dakiya-proofs" || c.SMS != "outbox" || c.Env != "development" || c.SecretKey != "" || c.DevOutbox {
		t.Fatalf("defaults: %+v", c)
	}
}

// TestDevOutbox: the development outbox is closed unless asked for.
func TestDevOutbox(t *testing.T) {
	for v, want := range map[string]bool{"": false, "0": false, "1": true, " 1 ": true, "true": true} {
		m := base()
		m["DAKIYA_DEV_OUTBOX"] = v
		c, err := Load(getenv(m), noFiles)
		if err != nil || c.DevOutbox != want {
			t.Errorf("DAKIYA_DEV_OUTBOX=%q: %v %v, want %v", v, c.DevOutbox, err, want)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	cases := map[string]map[string]string{
		"bad env":            {"DAKIYA_ENV": "staging"},
		"bad addr":           {"DAKIYA_ADDR": "8080"},
		"bad db":             {"DAKIYA_DB": "mysql://x"},
		"bad s3 url":         {"DAKIYA_S3_ENDPOINT": "ftp://x"},
		"no s3 key":          {"DAKIYA_S3_ACCESS_KEY": ""},
		"short secret":       {"DAKIYA_SECRET_KEY": "short"},
		"prod without key":   {"DAKIYA_ENV": "production", "DAKIYA_SMS": "http", "DAKIYA_SMS_URL": "https://sms.example"},
		"prod outbox":        {"DAKIYA_ENV": "production", "DAKIYA_SECRET_KEY": strings.Repeat("k", 32)},
		"http sms needs url": {"DAKIYA_SMS": "http"},
		"bad sms":            {"DAKIYA_SMS": "pigeon"},
		"both var and file":  {"DAKIYA_S3_SECRET_KEY_FILE": "/x"},
		"missing file":       {"DAKIYA_S3_SECRET_KEY": "", "DAKIYA_S3_SECRET_KEY_FILE": "/nonexistent"},
		"bad proxy":          {"DAKIYA_TRUSTED_PROXIES": "10.0.0.0/8, not-an-ip"},
		"bad otp service":    {"DAKIYA_OTP_FOR": "speed_post,pigeon"},
		"bad dev outbox":     {"DAKIYA_DEV_OUTBOX": "yes please"},
		"prod dev outbox": {"DAKIYA_ENV": "production", "DAKIYA_SECRET_KEY": strings.Repeat("k", 32), "DAKIYA_SMS": "http",
			"DAKIYA_SMS_URL": "https://sms.example", "DAKIYA_DEV_OUTBOX": "1"},
	}
	for name, over := range cases {
		t.Run(name, func(t *testing.T) {
			m := base()
			for k, v := range over {
				m[k] = v
			}
			if _, err := Load(getenv(m), noFiles); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestTrustedProxies(t *testing.T) {
	m := base()
	m["DAKIYA_TRUSTED_PROXIES"] = "10.0.0.0/8, 192.168.1.7 ,::1"
	c, err := Load(getenv(m), noFiles)
	if err != nil || len(c.TrustedProxies) != 3 || c.TrustedProxies[1].String() != "192.168.1.7/32" {
		t.Fatalf("proxies: %v %v", c.TrustedProxies, err)
	}
}

func TestSecretsFromFilesAndMasked(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s3secret")
	if err := os.WriteFile(file, []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := base()
	m["DAKIYA_S3_SECRET_KEY"], m["DAKIYA_S3_SECRET_KEY_FILE"] = "", file
	m["DAKIYA_DB"] = "postgres://dakiya:hunter2@db:5432/dakiya"
	m["DAKIYA_SECRET_KEY"] = strings.Repeat("z", 40)
	c, err := Load(getenv(m), os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	if c.S3.SecretKey != "from-a-file" {
		t.Fatalf("secret from file = %q", c.S3.SecretKey)
	}
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("config", "config", c)
	out := b.String()
	for _, secret := range []string{"from-a-file", "hunter2", "zzzz", "access\""} {
		if strings.Contains(out, secret) {
			t.Fatalf("printed config shows %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, "db:5432") {
		t.Fatalf("printed config hides too much: %s", out)
	}
}

func TestLoadSecretGeneratesOnce(t *testing.T) {
	dir := t.TempDir()
	m := base()
	m["DAKIYA_VAR"] = dir
	c1, _ := Load(getenv(m), noFiles)
	if err := c1.LoadSecret(); err != nil || len(c1.SecretKey) < MinSecretLen || c1.SecretFrom != "generated" {
		t.Fatalf("generate: %v %+v", err, c1)
	}
	st, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	c2, _ := Load(getenv(m), noFiles)
	if err := c2.LoadSecret(); err != nil || c2.SecretKey != c1.SecretKey || c2.SecretFrom != "file" {
		t.Fatalf("second start did not reuse the key: %v", err)
	}
	prod := Config{Env: EnvProduction, VarDir: dir}
	if err := prod.LoadSecret(); err == nil {
		t.Fatal("production generated a key")
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.key"), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	c3, _ := Load(getenv(m), noFiles)
	if err := c3.LoadSecret(); err == nil {
		t.Fatalf("a short key file was accepted: %q", c3.SecretKey)
	}
}

func TestProofSettings(t *testing.T) {
	c, err := Load(getenv(base()), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Proofs{PhotoMax: 2 << 20, SignatureMax: 256 << 10}); c.Proofs != want {
		t.Fatalf("defaults: %+v, want %+v", c.Proofs, want)
	}
	m := base()
	m["DAKIYA_PROOF_PHOTO_MAX"], m["DAKIYA_PROOF_SIGNATURE_MAX"], m["DAKIYA_PROOF_STREAM"] = " 1048576 ", "65536", "1"
	c, err = Load(getenv(m), noFiles)
	if want := (Proofs{PhotoMax: 1 << 20, SignatureMax: 64 << 10, Stream: true}); err != nil || c.Proofs != want {
		t.Fatalf("set: %+v %v, want %+v", c.Proofs, err, want)
	}
	for name, over := range map[string]map[string]string{
		"photo not a number":   {"DAKIYA_PROOF_PHOTO_MAX": "2MiB"},
		"photo negative":       {"DAKIYA_PROOF_PHOTO_MAX": "-1"},
		"photo huge":           {"DAKIYA_PROOF_PHOTO_MAX": "1073741824"},
		"signature too small":  {"DAKIYA_PROOF_SIGNATURE_MAX": "100"},
		"stream neither 1 nor": {"DAKIYA_PROOF_STREAM": "sometimes"},
	} {
		t.Run(name, func(t *testing.T) {
			m := base()
			for k, v := range over {
				m[k] = v
			}
			if _, err := Load(getenv(m), noFiles); err == nil || !strings.Contains(err.Error(), "DAKIYA_PROOF_") {
				t.Fatalf("accepted, or the error does not name the setting: %v", err)
			}
		})
	}
}

func TestMetricsSettings(t *testing.T) {
	for _, c := range []struct {
		name   string
		over   map[string]string
		onMain bool
		addr   string
	}{
		{"default loopback", nil, true, ""},
		{"localhost", map[string]string{"DAKIYA_ADDR": "localhost:8080"}, true, ""},
		{"ipv6 loopback", map[string]string{"DAKIYA_ADDR": "[::1]:8080"}, true, ""},
		{"every interface", map[string]string{"DAKIYA_ADDR": ":8080"}, false, ""},
		{"public address", map[string]string{"DAKIYA_ADDR": "0.0.0.0:8080"}, false, ""},
		{"public with token", map[string]string{"DAKIYA_ADDR": "0.0.0.0:8080", "DAKIYA_METRICS_TOKEN": "a-token-of-16-chars"}, true, ""},
		{"own address", map[string]string{"DAKIYA_ADDR": "0.0.0.0:8080", "DAKIYA_METRICS_ADDR": "0.0.0.0:9090"}, false, "0.0.0.0:9090"},
		{"own address, loopback main", map[string]string{"DAKIYA_METRICS_ADDR": "127.0.0.1:9090"}, false, "127.0.0.1:9090"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := base()
			for k, v := range c.over {
				m[k] = v
			}
			cfg, err := Load(getenv(m), noFiles)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.MetricsOnMain() != c.onMain || cfg.Metrics.Addr != c.addr {
				t.Fatalf("metrics on main %v at %q, want %v at %q", cfg.MetricsOnMain(), cfg.Metrics.Addr, c.onMain, c.addr)
			}
		})
	}
	for name, over := range map[string]map[string]string{
		"bad metrics addr":    {"DAKIYA_METRICS_ADDR": "9090"},
		"same as main":        {"DAKIYA_METRICS_ADDR": "127.0.0.1:8080"},
		"short metrics token": {"DAKIYA_METRICS_TOKEN": "short"},
		"token twice":         {"DAKIYA_METRICS_TOKEN": "a-token-of-16-chars", "DAKIYA_METRICS_TOKEN_FILE": "/x"},
	} {
		t.Run(name, func(t *testing.T) {
			m := base()
			for k, v := range over {
				m[k] = v
			}
			if _, err := Load(getenv(m), noFiles); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	m := base()
	m["DAKIYA_METRICS_TOKEN"] = "a-token-of-16-chars"
	cfg, err := Load(getenv(m), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("c", "config", cfg)
	if strings.Contains(b.String(), "a-token-of-16-chars") || !strings.Contains(b.String(), `"metrics_token":"****"`) {
		t.Fatalf("the metrics token is not masked: %s", b.String())
	}
}

// TestSecretKeyPrevious: a rotation's previous keys are read as a
// comma-separated list, refused when short or equal to the current key,
// and only counted in the log.
func TestSecretKeyPrevious(t *testing.T) {
	cur, old1, old2 := strings.Repeat("c", 40), strings.Repeat("a", 40), strings.Repeat("b", 40)
	m := base()
	m["DAKIYA_SECRET_KEY"], m["DAKIYA_SECRET_KEY_PREVIOUS"] = cur, old1+", "+old2
	c, err := Load(getenv(m), noFiles)
	if err != nil || len(c.SecretKeyPrevious) != 2 || c.SecretKeyPrevious[0] != old1 || c.SecretKeyPrevious[1] != old2 {
		t.Fatalf("previous keys: %v %v", c.SecretKeyPrevious, err)
	}
	for _, bad := range []string{"short", cur} {
		m["DAKIYA_SECRET_KEY_PREVIOUS"] = bad
		if _, err := Load(getenv(m), noFiles); err == nil {
			t.Fatalf("previous key %q accepted", bad)
		}
	}
}
