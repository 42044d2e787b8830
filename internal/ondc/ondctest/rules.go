package ondctest

// This file runs the rules of validations.yaml: each rule names JSONPath
// variables and literal lists, and says in a small language (_RETURN_,
// _CONTINUE_) what must hold of them: "X are present", "X all in Y",
// "X any in Y", "X follow regex Y", joined by &&, || and !( ).

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Rule is one rule of validations.yaml.
type Rule map[string]any

// Rules is the rule set, by action.
type Rules map[string][]Rule

// LoadRules reads validations.yaml.
func LoadRules() (Rules, error) {
	raw, err := os.ReadFile(filepath.Join(Dir(), "validations.yaml"))
	if err != nil {
		return nil, err
	}
	var f struct {
		Tests map[string][]Rule `yaml:"_TESTS_"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return nil, err
	}
	return f.Tests, nil
}

// Result says what checking a document found.
type Result struct {
	Passed      []string
	Failed      []string
	Unsupported []string // rules whose language we do not read
}

// Check runs action's rules on doc (decoded JSON).
func (rs Rules) Check(action string, doc any) Result {
	var res Result
	for _, r := range rs[action] {
		name, _ := r["_NAME_"].(string)
		ok, err := r.holds(doc)
		switch {
		case err != nil:
			res.Unsupported = append(res.Unsupported, name+": "+err.Error())
		case ok:
			res.Passed = append(res.Passed, name)
		default:
			res.Failed = append(res.Failed, name)
		}
	}
	return res
}

func (r Rule) holds(root any) (bool, error) {
	roots := []any{root}
	if sc, ok := r["_SCOPE_"].(string); ok {
		roots = eval(root, sc)
	}
	for _, x := range roots {
		ok, err := r.holdsAt(x)
		if err != nil || !ok {
			return ok, err
		}
	}
	return true, nil
}

func (r Rule) holdsAt(root any) (bool, error) {
	if c, ok := r["_CONTINUE_"].(string); ok {
		skip, err := r.expr(root, c)
		if err != nil || skip {
			return true, err
		}
	}
	switch ret := r["_RETURN_"].(type) {
	case string:
		return r.expr(root, ret)
	case []any:
		for _, x := range ret {
			m, ok := x.(Rule) // yaml decodes a nested map as its parent's type
			if !ok {
				mm, _ := x.(map[string]any)
				m = Rule(mm)
			}
			ok, err := m.holds(root)
			if err != nil || !ok {
				return ok, err
			}
		}
		return true, nil
	}
	return false, fmt.Errorf("no _RETURN_")
}

// expr evaluates an expression: a || b, a && b, !(a), (a), atom.
func (r Rule) expr(root any, s string) (bool, error) {
	s = strings.TrimSpace(s)
	for _, op := range []string{"||", "&&"} {
		if parts := splitTop(s, op); len(parts) > 1 {
			for _, p := range parts {
				v, err := r.expr(root, p)
				if err != nil {
					return false, err
				}
				if op == "||" && v {
					return true, nil
				}
				if op == "&&" && !v {
					return false, nil
				}
			}
			return op == "&&", nil
		}
	}
	if strings.HasPrefix(s, "!(") && strings.HasSuffix(s, ")") {
		v, err := r.expr(root, s[2:len(s)-1])
		return !v, err
	}
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		return r.expr(root, s[1:len(s)-1])
	}
	return r.atom(root, s)
}

// splitTop splits s at op outside parentheses.
func splitTop(s, op string) []string {
	var parts []string
	depth, last := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth == 0 && strings.HasPrefix(s[i:], op) {
			parts = append(parts, s[last:i])
			last = i + len(op)
			i += len(op) - 1
		}
	}
	return append(parts, s[last:])
}

var atomRE = regexp.MustCompile(`^(\w+) (are present|all in|any in|none in|follow regex) ?(\w*)$`)

func (r Rule) atom(root any, s string) (bool, error) {
	m := atomRE.FindStringSubmatch(s)
	if m == nil {
		return false, fmt.Errorf("unsupported expression %q", s)
	}
	lhs := r.values(root, m[1])
	switch m[2] {
	case "are present":
		if len(lhs) == 0 {
			return false, nil
		}
		for _, v := range lhs {
			if v == nil {
				return false, nil
			}
		}
		return true, nil
	case "follow regex":
		for _, v := range lhs {
			okAny := false
			for _, re := range r.values(root, m[3]) {
				p := strings.ReplaceAll(text(re), `\\`, `\`)
				if ok, _ := regexp.MatchString(p, text(v)); ok {
					okAny = true
				}
			}
			if !okAny {
				return false, nil
			}
		}
		return true, nil
	}
	set := map[string]bool{}
	for _, v := range r.values(root, m[3]) {
		set[text(v)] = true
	}
	n := 0
	for _, v := range lhs {
		if set[text(v)] {
			n++
		}
	}
	switch m[2] {
	case "all in": // as ONDC's engine: nothing is not "all in" anything
		return len(lhs) > 0 && n == len(lhs), nil
	case "any in":
		return n > 0, nil
	}
	return n == 0, nil
}

// values is a variable's values: a path's matches or a literal list.
func (r Rule) values(root any, name string) []any {
	switch v := r[name].(type) {
	case string:
		if strings.HasPrefix(v, "$") {
			return eval(root, v)
		}
		return []any{v}
	case []any:
		return v
	case nil:
		return nil
	default:
		return []any{v}
	}
}

func text(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int:
		return strconv.Itoa(t)
	}
	return fmt.Sprint(v)
}

var tokenRE = regexp.MustCompile(`\.\w[\w/@-]*|\['[^']*'\]|\[\*\]|\[\?\([^\]]*\)\]|\[\d+\]`)

// eval evaluates the JSONPath subset the rules use.
func eval(root any, path string) []any {
	cur := []any{root}
	for _, tok := range tokenRE.FindAllString(strings.TrimPrefix(path, "$"), -1) {
		var next []any
		for _, n := range cur {
			next = append(next, step(n, tok)...)
		}
		cur = next
	}
	return cur
}

var condRE = regexp.MustCompile(`@\.(\w+)\s*==\s*'([^']*)'`)

func step(n any, tok string) []any {
	switch {
	case strings.HasPrefix(tok, "."):
		return field(n, tok[1:])
	case strings.HasPrefix(tok, "['"):
		return field(n, tok[2:len(tok)-2])
	case tok == "[*]":
		if a, ok := n.([]any); ok {
			return a
		}
		return nil
	case strings.HasPrefix(tok, "[?("):
		a, _ := n.([]any)
		var out []any
		for _, x := range a {
			m, _ := x.(map[string]any)
			for _, c := range condRE.FindAllStringSubmatch(tok, -1) { // the rules only use ||
				if text(m[c[1]]) == c[2] && m[c[1]] != nil {
					out = append(out, x)
					break
				}
			}
		}
		return out
	default:
		i, _ := strconv.Atoi(tok[1 : len(tok)-1])
		if a, ok := n.([]any); ok && i < len(a) {
			return []any{a[i]}
		}
	}
	return nil
}

func field(n any, k string) []any {
	m, ok := n.(map[string]any)
	if !ok {
		return nil
	}
	v, ok := m[k]
	if !ok {
		return nil
	}
	return []any{v}
}
