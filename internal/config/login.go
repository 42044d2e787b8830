package config

import (
	"fmt"
	"strconv"
)

// MaxLoginConcurrency bounds DAKIYA_LOGIN_CONCURRENCY: each password check
// holds 19 MiB, so 256 of them are already almost 5 GiB.
const MaxLoginConcurrency = 256

// loginConcurrency reads DAKIYA_LOGIN_CONCURRENCY: unset (or "auto") is 0,
// sized at start-up; otherwise 1 to MaxLoginConcurrency.
func loginConcurrency(env func(k, def string) string) (int, error) {
	v := env("DAKIYA_LOGIN_CONCURRENCY", "auto")
	if v == "auto" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxLoginConcurrency {
		return 0, fmt.Errorf("DAKIYA_LOGIN_CONCURRENCY must be auto or a number from 1 to %d", MaxLoginConcurrency)
	}
	return n, nil
}
