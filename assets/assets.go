// Package assets embeds Dakiya's non-UI assets: the OpenAPI document.
package assets

import "embed"

//go:embed openapi.yaml
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
