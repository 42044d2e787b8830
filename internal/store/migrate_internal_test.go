package store

import "testing"

func TestCheckVersions(t *testing.T) {
	both := []Migration{{Version: 1}, {Version: 2, Dialect: Postgres}, {Version: 2, Dialect: SQLite}, {Version: 3}}
	if err := checkVersions(both); err != nil {
		t.Fatalf("a version per database: %v", err)
	}
	for name, ms := range map[string][]Migration{
		"twice":            {{Version: 1}, {Version: 1}},
		"shared and one":   {{Version: 1}, {Version: 1, Dialect: SQLite}},
		"one and shared":   {{Version: 1, Dialect: SQLite}, {Version: 1}},
		"one twice":        {{Version: 1, Dialect: SQLite}, {Version: 1, Dialect: SQLite}},
		"one without pair": {{Version: 1}, {Version: 2, Dialect: Postgres}},
	} {
		if checkVersions(ms) == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if dialectOf("0031_x.sqlite.sql") != SQLite || dialectOf("0031_x.postgres.sql") != Postgres || dialectOf("0031_x.sql") != "" {
		t.Fatal("dialectOf")
	}
}
