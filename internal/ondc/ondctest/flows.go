package ondctest

// This file reads the example flows: each step's action and payload.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Step is one call of an example flow.
type Step struct {
	API      string         // the action
	ActionID string         // its name in the flow
	Owner    string         // BAP (a buyer app's request) or BPP (a provider's callback)
	Payload  map[string]any // the example body, as JSON decodes it
}

// Flows lists the example flows by name (the file name without .yaml).
func Flows() ([]string, error) {
	fs, err := filepath.Glob(filepath.Join(Dir(), "flows", "*.yaml"))
	var names []string
	for _, f := range fs {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	return names, err
}

// Steps reads a flow's steps.
func Steps(flow string) ([]Step, error) {
	raw, err := os.ReadFile(filepath.Join(Dir(), "flows", flow+".yaml"))
	if err != nil {
		return nil, err
	}
	var f struct {
		Steps []struct {
			API      string `yaml:"api"`
			ActionID string `yaml:"action_id"`
			Owner    string `yaml:"owner"`
			Mock     struct {
				Payload any `yaml:"defaultPayload"`
			} `yaml:"mock"`
		} `yaml:"steps"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	var out []Step
	for _, s := range f.Steps {
		b, err := json.Marshal(plainTimes(s.Mock.Payload))
		if err != nil {
			return nil, err
		}
		st := Step{API: s.API, ActionID: s.ActionID, Owner: s.Owner}
		if err := json.Unmarshal(b, &st.Payload); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// plainTimes turns the timestamps YAML found back into the text they were
// written as: a date stays a date.
func plainTimes(v any) any {
	switch t := v.(type) {
	case time.Time:
		if t.Equal(t.Truncate(24*time.Hour)) && t.Location() == time.UTC {
			return t.Format(time.DateOnly)
		}
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	case map[string]any:
		for k, x := range t {
			t[k] = plainTimes(x)
		}
	case []any:
		for i, x := range t {
			t[i] = plainTimes(x)
		}
	}
	return v
}
