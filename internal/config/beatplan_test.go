package config

import (
	"testing"
	"time"
)

func TestBeatPlanSettings(t *testing.T) {
	c, err := Load(getenv(base()), noFiles)
	if err != nil {
		t.Fatal(err)
	}
	if c.BeatPlan != (BeatPlan{SpeedKMH: 10, StopSeconds: 120, ArticleSeconds: 30, AwayCostM: 300, BalanceM: 200, Budget: 3 * time.Second}) {
		t.Fatalf("defaults: %+v", c.BeatPlan)
	}
	m := base()
	m["DAKIYA_BEAT_SPEED_KMH"], m["DAKIYA_STOP_SECONDS"], m["DAKIYA_BEAT_BUDGET"] = "4.5", "90", "500ms"
	if c, err = Load(getenv(m), noFiles); err != nil || c.BeatPlan.SpeedKMH != 4.5 || c.BeatPlan.StopSeconds != 90 || c.BeatPlan.Budget != 500*time.Millisecond {
		t.Fatalf("walking: %+v %v", c.BeatPlan, err)
	}
	for k, v := range map[string]string{"DAKIYA_BEAT_SPEED_KMH": "0", "DAKIYA_STOP_SECONDS": "-1", "DAKIYA_ARTICLE_SECONDS": "x",
		"DAKIYA_BEAT_AWAY_M": "1e9", "DAKIYA_BEAT_BALANCE": "-1", "DAKIYA_BEAT_BUDGET": "2m"} {
		m := base()
		m[k] = v
		if _, err := Load(getenv(m), noFiles); err == nil {
			t.Errorf("%s=%s accepted", k, v)
		}
	}
}
