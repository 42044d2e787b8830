// Package ondctest checks documents against ONDC's LOG11 1.2.5
// conformance data kept in internal/ondc/testdata: the request schemas of
// openapi.yaml (with kin-openapi). For tests only.
package ondctest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// Dir is the directory of the copied conformance data.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "LOG11-1.2.5")
}

// Spec is LOG11's OpenAPI document.
type Spec struct{ doc *openapi3.T }

// Load reads openapi.yaml.
func Load() (Spec, error) {
	raw, err := os.ReadFile(filepath.Join(Dir(), "openapi.yaml"))
	if err != nil {
		return Spec{}, err
	}
	var tree any
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		return Spec{}, err
	}
	b, err := json.Marshal(fixRequired(tree))
	if err != nil {
		return Spec{}, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return Spec{}, err
	}
	return Spec{doc: doc}, nil
}

// Validate checks body against the request schema of POST /{action}.
func (s Spec) Validate(action string, body []byte) error {
	p := s.doc.Paths.Find("/" + action)
	if p == nil || p.Post == nil || p.Post.RequestBody == nil {
		return fmt.Errorf("no schema for %s", action)
	}
	schema := p.Post.RequestBody.Value.Content.Get("application/json").Schema.Value
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableFormatValidation())
}

// fixRequired drops the three `required: true` of the Payments schema
// (OpenAPI 3.0 wants a list of property names there), the only place the
// published document is not valid OpenAPI; everything else is used as it
// is published.
func fixRequired(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t["required"].(bool); ok {
			delete(t, "required")
		}
		for k, x := range t {
			t[k] = fixRequired(x)
		}
	case []any:
		for i, x := range t {
			t[i] = fixRequired(x)
		}
	}
	return v
}
