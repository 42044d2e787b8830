// Package config reads Dakiya's configuration from the environment, validates
// it, and prints it with its secrets masked.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Environments the server can run in.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// SMS transports.
const (
	SMSOutbox = "outbox"
	SMSHTTP   = "http"
)

// Config is the whole configuration of one server process.
type Config struct {
	Env        string
	Addr       string
	DB         string
	S3         S3
	SecretKey  string // empty until LoadSecret; never logged
	SecretFrom string // "environment", "file" or "generated"
	SMS        string
	SMSURL     string
	SMSKey     string
	// DevOutbox serves the development outbox (GET /api/v1/dev/sms) to
	// anyone, not only to an admin (DAKIYA_DEV_OUTBOX=1). Either way it is
	// served only with DAKIYA_SMS=outbox, outside production, on a
	// loopback listen address.
	DevOutbox bool
	VarDir    string // where development state lives (generated key, SQLite, S3 data)
	PublicURL string // how recipients reach this server, for links in SMS
	// OTPFor lists what needs the recipient's code at the door: services
	// and "cod" for every cash-on-delivery article.
	OTPFor []string
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed; without them the socket's address is the client's.
	TrustedProxies []*net.IPNet
	// Proofs limits proof uploads and says how their content is served.
	Proofs Proofs
	// Metrics says where and to whom /metrics is served.
	Metrics Metrics
	// LoginConcurrency is how many password checks may run at once
	// (DAKIYA_LOGIN_CONCURRENCY); 0, the default, sizes it from the CPUs
	// and the memory limit (auth.DefaultChecks).
	LoginConcurrency int
	// Outbox tunes the dispatcher of webhook and ONDC messages.
	Outbox Outbox
	// ONDC configures the ONDC logistics adapter.
	ONDC ONDC
	// BeatPlan tunes balanced-beat proposals.
	BeatPlan BeatPlan
	// Retention says how long personal data and proofs are kept.
	Retention Retention
	// Partitions tunes PostgreSQL's monthly partitions.
	Partitions Partitions
	// SecretKeyPrevious are the secrets a rotation replaced
	// (DAKIYA_SECRET_KEY_PREVIOUS, comma-separated, newest first): they
	// verify tokens and open sealed values, but sign and seal nothing.
	SecretKeyPrevious []string // never logged
	// OTelEndpoint is where spans go over OTLP/HTTP
	// (DAKIYA_OTEL_ENDPOINT, e.g. http://otel-collector:4318); empty, the
	// server traces nothing.
	OTelEndpoint string
}

// Proofs configures proofs of delivery.
type Proofs struct {
	PhotoMax     int64 // bytes, DAKIYA_PROOF_PHOTO_MAX
	SignatureMax int64 // bytes, DAKIYA_PROOF_SIGNATURE_MAX
	// Stream serves proof content through the API instead of redirecting
	// to the object store (DAKIYA_PROOF_STREAM=1), for browsers that
	// cannot reach it.
	Stream bool
}

// Proof size limits: the defaults, and the range a setting may take.
const (
	DefaultProofPhotoMax     = 2 << 20
	DefaultProofSignatureMax = 256 << 10
	minProofMax              = 1 << 10
	maxProofMax              = 32 << 20
)

// S3 locates the object store that holds proofs.
type S3 struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
}

// MinSecretLen is the shortest DAKIYA_SECRET_KEY accepted: 32 characters.
const MinSecretLen = 32

// Load reads the configuration through getenv (os.Getenv in production, a
// map in tests) and validates it. Files named by *_FILE variables are read
// with readFile. It does not touch DAKIYA_SECRET_KEY's generated file; see
// LoadSecret.
func Load(getenv func(string) string, readFile func(string) ([]byte, error)) (Config, error) {
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Env:       env("DAKIYA_ENV", EnvDevelopment),
		Addr:      env("DAKIYA_ADDR", "127.0.0.1:8080"),
		DB:        env("DAKIYA_DB", "sqlite:var/dakiya.db"),
		SMS:       env("DAKIYA_SMS", SMSOutbox),
		SMSURL:    env("DAKIYA_SMS_URL", ""),
		SMSKey:    env("DAKIYA_SMS_KEY", ""),
		VarDir:    env("DAKIYA_VAR", "var"),
		PublicURL: strings.TrimRight(env("DAKIYA_PUBLIC_URL", ""), "/"),
		OTPFor:    strings.Split(strings.ReplaceAll(env("DAKIYA_OTP_FOR", "speed_post,parcel,cod"), " ", ""), ","),
		S3: S3{
			Endpoint: env("DAKIYA_S3_ENDPOINT", "http://127.0.0.1:9000"),
			Bucket:   env("DAKIYA_S3_BUCKET", "dakiya-proofs"),
		},
	}
	var errs []error
	var err error
	secret := func(name string) string {
		v, err := fromEnvOrFile(getenv, readFile, name)
		errs = append(errs, err)
		return v
	}
	c.S3.AccessKey = secret("DAKIYA_S3_ACCESS_KEY")
	c.S3.SecretKey = secret("DAKIYA_S3_SECRET_KEY")
	c.SecretKey = secret("DAKIYA_SECRET_KEY")
	c.OTelEndpoint = env("DAKIYA_OTEL_ENDPOINT", "")
	for _, k := range strings.Split(secret("DAKIYA_SECRET_KEY_PREVIOUS"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			c.SecretKeyPrevious = append(c.SecretKeyPrevious, k)
		}
	}
	if c.SecretKey != "" {
		c.SecretFrom = "environment"
	}
	c.Proofs, err = loadProofs(env)
	errs = append(errs, err)
	c.Metrics, err = loadMetrics(env, secret, c.Addr)
	errs = append(errs, err)
	c.LoginConcurrency, err = loginConcurrency(env)
	errs = append(errs, err)
	c.Outbox, err = loadOutbox(env)
	errs = append(errs, err)
	c.DevOutbox, err = loadFlag(env, "DAKIYA_DEV_OUTBOX")
	errs = append(errs, err)
	c.BeatPlan, err = loadBeatPlan(env)
	errs = append(errs, err)
	c.Retention, err = loadRetention(env)
	errs = append(errs, err)
	c.Partitions, err = loadPartitions(env)
	errs = append(errs, err)
	c.TrustedProxies, err = parseCIDRs(getenv("DAKIYA_TRUSTED_PROXIES"))
	errs = append(errs, err, c.validate())
	c.ONDC, err = loadONDC(env, readFile, c.PublicURL, c.Production()) // after validate: it defaults PublicURL
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// parseCIDRs reads a comma-separated list of CIDRs or addresses.
func parseCIDRs(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			if ip := net.ParseIP(f); ip != nil && ip.To4() != nil {
				f += "/32"
			} else {
				f += "/128"
			}
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("DAKIYA_TRUSTED_PROXIES: %q is not an address or CIDR", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// fromEnvOrFile returns NAME, or the trimmed content of the file NAME_FILE
// names. Setting both is an error.
func fromEnvOrFile(getenv func(string) string, readFile func(string) ([]byte, error), name string) (string, error) {
	v, file := getenv(name), strings.TrimSpace(getenv(name+"_FILE"))
	if file == "" {
		return strings.TrimSpace(v), nil
	}
	if v != "" {
		return "", fmt.Errorf("%s and %s_FILE are both set; set one", name, name)
	}
	b, err := readFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func (c *Config) validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.Env != EnvDevelopment && c.Env != EnvProduction {
		bad("DAKIYA_ENV must be %q or %q, not %q", EnvDevelopment, EnvProduction, c.Env)
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("DAKIYA_ADDR %q is not host:port", c.Addr)
	}
	if !strings.HasPrefix(c.DB, "sqlite:") && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		bad("DAKIYA_DB must be sqlite:PATH or a postgres:// URL")
	}
	if u, err := url.Parse(c.S3.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("DAKIYA_S3_ENDPOINT %q must be an http:// or https:// URL", c.S3.Endpoint)
	}
	if c.S3.AccessKey == "" || c.S3.SecretKey == "" {
		bad("DAKIYA_S3_ACCESS_KEY and DAKIYA_S3_SECRET_KEY are required")
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	} else if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("DAKIYA_PUBLIC_URL %q must be an http:// or https:// URL", c.PublicURL)
	}
	for _, k := range c.OTPFor {
		switch k {
		case "speed_post", "registered", "parcel", "letter", "cod", "none":
		default:
			bad("DAKIYA_OTP_FOR: %q is not a service (speed_post, registered, parcel, letter), cod or none", k)
		}
	}
	if c.S3.Bucket == "" {
		bad("DAKIYA_S3_BUCKET must not be empty")
	}
	if c.SecretKey != "" && len(c.SecretKey) < MinSecretLen {
		bad("DAKIYA_SECRET_KEY must be at least %d characters", MinSecretLen)
	}
	for _, k := range c.SecretKeyPrevious {
		if len(k) < MinSecretLen {
			bad("DAKIYA_SECRET_KEY_PREVIOUS: every key must be at least %d characters", MinSecretLen)
		}
		if k == c.SecretKey {
			bad("DAKIYA_SECRET_KEY_PREVIOUS must not repeat DAKIYA_SECRET_KEY")
		}
	}
	if c.Env == EnvProduction && c.SecretKey == "" {
		bad("DAKIYA_SECRET_KEY is required in production")
	}
	if c.DevOutbox && c.Env == EnvProduction {
		bad("DAKIYA_DEV_OUTBOX=1 is for development")
	}
	switch c.SMS {
	case SMSOutbox:
		if c.Env == EnvProduction {
			bad("DAKIYA_SMS=outbox is for development; production needs DAKIYA_SMS=http")
		}
	case SMSHTTP:
		if u, err := url.Parse(c.SMSURL); err != nil || u.Host == "" {
			bad("DAKIYA_SMS=http needs DAKIYA_SMS_URL")
		}
	default:
		bad("DAKIYA_SMS must be %q or %q", SMSOutbox, SMSHTTP)
	}
	return errors.Join(errs...)
}

// Production reports whether the server runs in production.
func (c Config) Production() bool { return c.Env == EnvProduction }

// LogValue prints the configuration with every secret masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("addr", c.Addr),
		slog.String("db", maskURL(c.DB)),
		slog.String("s3_endpoint", c.S3.Endpoint),
		slog.String("s3_bucket", c.S3.Bucket),
		slog.String("s3_access_key", mask(c.S3.AccessKey)),
		slog.String("s3_secret_key", mask(c.S3.SecretKey)),
		slog.String("secret_key", mask(c.SecretKey)+" ("+c.SecretFrom+")"),
		slog.Int("secret_keys_previous", len(c.SecretKeyPrevious)),
		slog.String("otel_endpoint", c.OTelEndpoint),
		slog.String("sms", c.SMS),
		slog.String("sms_url", maskURL(c.SMSURL)),
		slog.String("sms_key", mask(c.SMSKey)),
		slog.Bool("dev_outbox", c.DevOutbox),
		slog.String("var_dir", c.VarDir),
		slog.String("public_url", c.PublicURL),
		slog.String("otp_for", strings.Join(c.OTPFor, ",")),
		slog.Int("trusted_proxies", len(c.TrustedProxies)),
		slog.Int64("proof_photo_max", c.Proofs.PhotoMax),
		slog.Int64("proof_signature_max", c.Proofs.SignatureMax),
		slog.Bool("proof_stream", c.Proofs.Stream),
		slog.String("metrics_addr", c.Metrics.Addr),
		slog.String("metrics_token", mask(c.Metrics.Token)),
		slog.Bool("metrics_on_main", c.MetricsOnMain()),
		slog.Int("login_concurrency", c.LoginConcurrency),
		slog.String("retention", c.Retention.Personal.String()),
		slog.String("proof_retention", c.Retention.Proofs.String()),
		slog.String("audit_retention", c.Retention.Audit.String()),
	)
}

// mask hides a secret, showing only whether it is set.
func mask(s string) string {
	if s == "" {
		return "(unset)"
	}
	return "****"
}

// maskURL hides the password of a URL with credentials.
func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "****")
	}
	return u.String()
}

// OSFiles is the readFile for Load in production.
func OSFiles(name string) ([]byte, error) { return os.ReadFile(name) }

// loadProofs reads the proof settings through env (the trimmed variable or
// a default).
func loadProofs(env func(k, def string) string) (Proofs, error) {
	var errs []error
	size := func(name string, def int64) int64 {
		v, err := strconv.ParseInt(env(name, strconv.FormatInt(def, 10)), 10, 64)
		if err != nil || v < minProofMax || v > maxProofMax {
			errs = append(errs, fmt.Errorf("%s must be a number of bytes from %d to %d", name, minProofMax, maxProofMax))
		}
		return v
	}
	p := Proofs{
		PhotoMax:     size("DAKIYA_PROOF_PHOTO_MAX", DefaultProofPhotoMax),
		SignatureMax: size("DAKIYA_PROOF_SIGNATURE_MAX", DefaultProofSignatureMax),
	}
	stream, err := strconv.ParseBool(env("DAKIYA_PROOF_STREAM", "0"))
	if err != nil {
		errs = append(errs, errors.New("DAKIYA_PROOF_STREAM must be 1 or 0"))
	}
	p.Stream = stream
	return p, errors.Join(errs...)
}

// loadFlag reads a 1-or-0 setting, 0 when unset.
func loadFlag(env func(k, def string) string, name string) (bool, error) {
	v, err := strconv.ParseBool(env(name, "0"))
	if err != nil {
		return false, fmt.Errorf("%s must be 1 or 0", name)
	}
	return v, nil
}
