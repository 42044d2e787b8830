package config

import (
	"errors"
	"strings"
	"testing"
)

func TestONDCSettings(t *testing.T) {
	c, err := Load(getenv(base()), noFiles)
	if err != nil || c.ONDC.Registry != "" || c.ONDC.SubscriberID != "127.0.0.1" || c.ONDC.UniqueKeyID != "k1" {
		t.Fatalf("defaults: %+v %v", c.ONDC, err)
	}
	m := base()
	m["DAKIYA_PUBLIC_URL"] = "https://dakiya.example.in"
	m["DAKIYA_ONDC_REGISTRY"] = "/etc/dakiya/ondc-registry.json"
	m["DAKIYA_ONDC_SIGNING_KEY_FILE"] = "/run/secrets/ondc"
	files := func(p string) ([]byte, error) {
		if p == "/run/secrets/ondc" {
			return []byte(" c2VlZA== \n"), nil
		}
		return nil, errors.New("no such file")
	}
	c, err = Load(getenv(m), files)
	if err != nil || c.ONDC.SubscriberID != "dakiya.example.in" || c.ONDC.SigningKey != "c2VlZA==" || c.ONDC.Registry != "/etc/dakiya/ondc-registry.json" {
		t.Fatalf("configured: %+v %v", c.ONDC, err)
	}
	m["DAKIYA_ONDC_SUBSCRIBER_ID"], m["DAKIYA_ONDC_UNIQUE_KEY_ID"] = "ondc.dakiya.example.in", "2026-11"
	if c, err = Load(getenv(m), files); err != nil || c.ONDC.SubscriberID != "ondc.dakiya.example.in" || c.ONDC.UniqueKeyID != "2026-11" {
		t.Fatalf("named: %+v %v", c.ONDC, err)
	}
	if _, err := Load(getenv(m), noFiles); err == nil {
		t.Fatal("an unreadable signing key file is accepted")
	}
	m["DAKIYA_ENV"], m["DAKIYA_SECRET_KEY"] = "production", "0123456789abcdef0123456789abcdef-prod"
	delete(m, "DAKIYA_ONDC_SIGNING_KEY_FILE")
	if _, err := Load(getenv(m), files); err == nil || !strings.Contains(err.Error(), "DAKIYA_ONDC_SIGNING_KEY_FILE is required") {
		t.Fatalf("production with a registry but no signing key: %v", err)
	}
}
