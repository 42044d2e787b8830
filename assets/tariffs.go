package assets

// This file embeds the default tariff (see internal/tariff).

import _ "embed"

//go:embed tariffs/default.csv
var defaultTariff []byte

// DefaultTariff returns the tariff a server stores as version "default"
// when it has none: assets/tariffs/default.csv.
func DefaultTariff() []byte { return defaultTariff }
