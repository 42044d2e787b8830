package config

import (
	"testing"
	"time"
)

func TestLoadRetention(t *testing.T) {
	env := func(m map[string]string) func(k, def string) string {
		return func(k, def string) string {
			if v, ok := m[k]; ok {
				return v
			}
			return def
		}
	}
	r, err := loadRetention(env(nil))
	if err != nil || r.Personal != 90*24*time.Hour || r.Proofs != 400*24*time.Hour || r.Audit != 365*24*time.Hour {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	r, err = loadRetention(env(map[string]string{"DAKIYA_RETENTION_DAYS": "30", "DAKIYA_PROOF_RETENTION_DAYS": "1",
		"DAKIYA_AUDIT_RETENTION_DAYS": "730"}))
	if err != nil || r.Personal != 30*24*time.Hour || r.Proofs != 24*time.Hour || r.Audit != 730*24*time.Hour {
		t.Fatalf("set: %+v %v", r, err)
	}
	for _, bad := range []map[string]string{{"DAKIYA_RETENTION_DAYS": "0"}, {"DAKIYA_RETENTION_DAYS": "90d"},
		{"DAKIYA_PROOF_RETENTION_DAYS": "3651"}, {"DAKIYA_PROOF_RETENTION_DAYS": "-1"},
		{"DAKIYA_AUDIT_RETENTION_DAYS": "364"}, {"DAKIYA_AUDIT_RETENTION_DAYS": "3651"}, {"DAKIYA_AUDIT_RETENTION_DAYS": "a year"}} {
		if _, err := loadRetention(env(bad)); err == nil {
			t.Fatalf("%v accepted", bad)
		}
	}
}
