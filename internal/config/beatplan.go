package config

import (
	"fmt"
	"strconv"
	"time"
)

// BeatPlan tunes balanced-beat proposals.
type BeatPlan struct {
	SpeedKMH       float64       // DAKIYA_BEAT_SPEED_KMH, 1 to 60; 10 (cycling)
	StopSeconds    int64         // DAKIYA_STOP_SECONDS, 0 to 3600; 120
	ArticleSeconds int64         // DAKIYA_ARTICLE_SECONDS, each article after a stop's first, 0 to 600; 30
	AwayCostM      int64         // DAKIYA_BEAT_AWAY_M, metres-equivalent per household moved off its beat, beyond twice the slot's longest distance, 0 to 100000; 300
	BalanceM       int64         // DAKIYA_BEAT_BALANCE, metres-equivalent per minute between the longest and the shortest working time, 0 (off) to 10000; 200
	Budget         time.Duration // DAKIYA_BEAT_BUDGET, the solver's time, 100ms to 60s; 3s
}

// loadBeatPlan reads the DAKIYA_BEAT_* settings.
func loadBeatPlan(env func(k, def string) string) (BeatPlan, error) {
	var b BeatPlan
	var err error
	num := func(k, def string, lo, hi float64) float64 {
		raw := env(k, def)
		v, e := strconv.ParseFloat(raw, 64)
		if e != nil || v < lo || v > hi {
			err = fmt.Errorf("%s %q must be a number from %g to %g", k, raw, lo, hi)
		}
		return v
	}
	b.SpeedKMH = num("DAKIYA_BEAT_SPEED_KMH", "10", 1, 60)
	b.StopSeconds = int64(num("DAKIYA_STOP_SECONDS", "120", 0, 3600))
	b.ArticleSeconds = int64(num("DAKIYA_ARTICLE_SECONDS", "30", 0, 600))
	b.AwayCostM = int64(num("DAKIYA_BEAT_AWAY_M", "300", 0, 100_000))
	b.BalanceM = int64(num("DAKIYA_BEAT_BALANCE", "200", 0, 10_000))
	raw := env("DAKIYA_BEAT_BUDGET", "3s")
	if b.Budget, _ = time.ParseDuration(raw); b.Budget < 100*time.Millisecond || b.Budget > time.Minute {
		err = fmt.Errorf("DAKIYA_BEAT_BUDGET %q must be a duration from 100ms to 60s", raw)
	}
	return b, err
}
