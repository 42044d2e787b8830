// Package assets embeds Dakiya's non-UI assets: the OpenAPI document and
// the default festival calendar.
package assets

import "embed"

//go:embed openapi.yaml festivals.csv
var files embed.FS

// OpenAPI returns the OpenAPI document of the HTTP API, as YAML.
func OpenAPI() []byte {
	b, err := files.ReadFile("openapi.yaml")
	if err != nil {
		// The file is embedded at build time, so this cannot happen.
		panic("assets: embedded openapi.yaml is missing: " + err.Error())
	}
	return b
}

// Festivals returns the default festival calendar (festivals.csv): one line
// per festival date with its name, region ("" for all India) and the days
// before and after it that its peak covers.
func Festivals() []byte {
	b, err := files.ReadFile("festivals.csv")
	if err != nil {
		panic("assets: embedded festivals.csv is missing: " + err.Error())
	}
	return b
}
