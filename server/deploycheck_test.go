package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The operator's files: the Grafana dashboard and the alert rules.
var (
	dashboardFile = filepath.Join("..", "deploy", "grafana", "dakiya.json")
	alertsFile    = filepath.Join("..", "deploy", "prometheus", "alerts.yml")
)

// checkDeployFiles parses every PromQL expression of the dashboard and the
// alert rules and checks every metric they name against exported, the
// series a running server served.
func checkDeployFiles(dashboard, alerts []byte, exported map[string]bool) error {
	var errs []error
	var d struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(dashboard, &d); err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	if len(d.Panels) == 0 {
		errs = append(errs, errors.New("dashboard: no panels"))
	}
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			errs = append(errs, fmt.Errorf("dashboard panel %q: no query", p.Title))
		}
		for _, tg := range p.Targets {
			if err := checkPromQL(tg.Expr, exported); err != nil {
				errs = append(errs, fmt.Errorf("dashboard panel %q: %w", p.Title, err))
			}
		}
	}
	var a struct {
		Groups []struct {
			Name  string
			Rules []struct {
				Alert, Expr, For string
				Annotations      map[string]string
			}
		}
	}
	if err := yaml.Unmarshal(alerts, &a); err != nil {
		return errors.Join(append(errs, fmt.Errorf("alerts: %w", err))...)
	}
	n := 0
	for _, g := range a.Groups {
		for _, r := range g.Rules {
			n++
			if r.Alert == "" || r.Annotations["summary"] == "" || !strings.HasPrefix(r.Annotations["runbook"], "docs/operations.md#") {
				errs = append(errs, fmt.Errorf("alert %q: needs a name, a summary and a runbook link", r.Alert))
			}
			if r.For != "" && !durationRE.MatchString(r.For) {
				errs = append(errs, fmt.Errorf("alert %q: for %q is not a duration", r.Alert, r.For))
			}
			if err := checkPromQL(r.Expr, exported); err != nil {
				errs = append(errs, fmt.Errorf("alert %q: %w", r.Alert, err))
			}
		}
	}
	if n == 0 {
		errs = append(errs, errors.New("alerts: no rules"))
	}
	return errors.Join(errs...)
}

var (
	durationRE = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`)
	tokenRE    = regexp.MustCompile(`^(?:\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[0-9]+(?:ms|s|m|h|d|w|y)(?:[0-9]+(?:ms|s|m|h|d|w|y))*\b|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[a-zA-Z_:][a-zA-Z0-9_:]*|=~|!~|!=|==|>=|<=|[-+*/%^<>=(){}\[\],:])`)
)

// promAggregations may take by/without; promFunctions are PromQL's
// functions the files may call; promKeywords are the binary operators and
// modifiers spelled as words.
var (
	promAggregations = set("sum", "min", "max", "avg", "count", "topk", "bottomk", "quantile", "stddev", "stdvar", "count_values", "group")
	promFunctions    = set("rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "histogram_quantile",
		"clamp", "clamp_min", "clamp_max", "abs", "ceil", "floor", "round", "time", "timestamp", "hour", "minute", "day_of_week",
		"vector", "scalar", "absent", "absent_over_time", "max_over_time", "min_over_time", "avg_over_time", "sum_over_time",
		"count_over_time", "changes", "resets", "sort", "sort_desc", "label_replace", "label_join")
	promGrouping = set("by", "without", "on", "ignoring", "group_left", "group_right")
	promBinary   = set("and", "or", "unless", "+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=")
)

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// checkPromQL checks expr's structure — brackets, label matchers, range
// durations, known functions, operands and operators alternating — and
// that every metric it selects is in exported. It is not Prometheus's
// parser, but it refuses what a typo makes.
func checkPromQL(expr string, exported map[string]bool) error {
	var toks []string
	for rest := expr; rest != ""; {
		m := tokenRE.FindString(rest)
		if m == "" {
			return fmt.Errorf("%q: cannot read %.10q", expr, rest)
		}
		if strings.TrimSpace(m) != "" {
			toks = append(toks, m)
		}
		rest = rest[len(m):]
	}
	if len(toks) == 0 {
		return errors.New("empty expression")
	}
	fail := func(i int, format string, a ...any) error {
		return fmt.Errorf("%q at token %d (%q): %s", expr, i, toks[min(i, len(toks)-1)], fmt.Sprintf(format, a...))
	}
	var stack []string
	operand := false // the previous token ended an operand
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		switch {
		case t == "(":
			if operand {
				return fail(i, "an opening parenthesis after an operand")
			}
			stack = append(stack, "(")
		case t == ")":
			if len(stack) == 0 || stack[len(stack)-1] != "(" {
				return fail(i, "unbalanced parenthesis")
			}
			if !operand && toks[i-1] != "(" {
				return fail(i, "a closing parenthesis after an operator")
			}
			stack, operand = stack[:len(stack)-1], true
		case t == ",":
			if len(stack) == 0 || !operand {
				return fail(i, "a stray comma")
			}
			operand = false
		case t == "{":
			j, err := matchers(toks, i+1)
			if err != nil {
				return fail(i, "%v", err)
			}
			i, operand = j, true
		case t == "[":
			if !operand || i+2 >= len(toks) || !durationRE.MatchString(toks[i+1]) || toks[i+2] != "]" {
				return fail(i, "a range must be [duration] after a selector")
			}
			i += 2
		case t == "}" || t == "]":
			return fail(i, "unbalanced bracket")
		case promGrouping[t]:
			if next != "(" {
				return fail(i, "%s needs a label list", t)
			}
			j := i + 2
			for ; j < len(toks) && toks[j] != ")"; j++ {
				if toks[j] != "," && !labelRE.MatchString(toks[j]) {
					return fail(j, "not a label name")
				}
			}
			if j == len(toks) {
				return fail(i, "unclosed label list")
			}
			i = j
		case t == "bool":
			if operand || i == 0 || !promBinary[toks[i-1]] {
				return fail(i, "bool only after a comparison")
			}
		case promBinary[t]:
			if !operand {
				if t != "-" && t != "+" {
					return fail(i, "an operator without a left operand")
				}
			}
			operand = false
		case t[0] == '"' || t[0] == '\'' || t[0] >= '0' && t[0] <= '9' || t[0] == '.':
			if operand {
				return fail(i, "two operands in a row")
			}
			operand = true
		case promAggregations[t] || promFunctions[t]:
			if operand {
				return fail(i, "two operands in a row")
			}
			if next != "(" && !(promAggregations[t] && (next == "by" || next == "without")) {
				return fail(i, "%s needs its arguments", t)
			}
		case identRE.MatchString(t):
			if next == "(" {
				return fail(i, "unknown function %s", t)
			}
			if operand {
				return fail(i, "two operands in a row")
			}
			if !exported[t] {
				return fail(i, "metric %s is not exported by the server", t)
			}
			operand = true
		default:
			return fail(i, "unexpected")
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("%q: unclosed parenthesis", expr)
	}
	if !operand {
		return fmt.Errorf("%q: ends with an operator", expr)
	}
	return nil
}

var (
	identRE = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// matchers reads label matchers from toks[i] to their closing brace and
// returns the brace's index.
func matchers(toks []string, i int) (int, error) {
	for ; i < len(toks); i++ {
		if toks[i] == "}" {
			return i, nil
		}
		if i+2 >= len(toks) || !labelRE.MatchString(toks[i]) {
			return 0, errors.New("a label matcher needs a label name")
		}
		if op := toks[i+1]; op != "=" && op != "!=" && op != "=~" && op != "!~" {
			return 0, fmt.Errorf("%q is not a matcher operator", op)
		}
		v := toks[i+2]
		if v[0] != '"' && v[0] != '\'' {
			return 0, errors.New("a label matcher needs a quoted value")
		}
		if op := toks[i+1]; op == "=~" || op == "!~" {
			if _, err := regexp.Compile("^(?:" + v[1:len(v)-1] + ")$"); err != nil {
				return 0, fmt.Errorf("matcher regexp: %w", err)
			}
		}
		i += 3
		if i < len(toks) && toks[i] == "}" {
			return i, nil
		}
		if i >= len(toks) || toks[i] != "," {
			return 0, errors.New("matchers are separated by commas")
		}
	}
	return 0, errors.New("unclosed brace")
}

// exportedNames is the metric names of a scrape.
func exportedNames(series map[string]float64) map[string]bool {
	out := map[string]bool{}
	for k := range series {
		name, _, _ := strings.Cut(k, "{")
		out[name] = true
	}
	return out
}

// testDeployFiles checks the files against a server's scrape, then
// deliberately broken copies of them, which must be refused.
func testDeployFiles(t *testing.T, series map[string]float64) {
	t.Helper()
	exported := exportedNames(series)
	dash, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := os.ReadFile(alertsFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkDeployFiles(dash, alerts, exported); err != nil {
		t.Fatalf("deploy files: %v", err)
	}
	breaks := []struct{ name, file, from, to string }{
		{"unknown metric in an alert", "alerts", "dakiya_centre_sync_lag_seconds)", "dakiya_centre_sync_lag_second)"},
		{"unbalanced parenthesis in an alert", "alerts", "(dakiya_queue_oldest_age_seconds{queue=\"sms\"}) > 300", "(dakiya_queue_oldest_age_seconds{queue=\"sms\"} > 300"},
		{"unknown function in the dashboard", "dashboard", "histogram_quantile(0.99", "histogram_quantil(0.99"},
		{"bad matcher in the dashboard", "dashboard", `status=~\"5..\"`, `status=!\"5..\"`},
		{"bad range in an alert", "alerts", "[45m]", "[45 minutes]"},
		{"two operands in the dashboard", "dashboard", "topk(20, max", "topk(20 max"},
		{"bad regexp in an alert", "alerts", `{queue=~"webhook|ondc"}`, `{queue=~"webhook|(ondc"}`},
		{"dangling operator in an alert", "alerts", "> 1800\n", "> \n"},
		{"alert without a runbook", "alerts", "runbook: docs/operations.md#dakiyas3errors", "runbook: later"},
	}
	for _, b := range breaks {
		d, a := string(dash), string(alerts)
		target := &a
		if b.file == "dashboard" {
			target = &d
		}
		if !strings.Contains(*target, b.from) {
			t.Fatalf("%s: %q not in the %s", b.name, b.from, b.file)
		}
		*target = strings.Replace(*target, b.from, b.to, 1)
		if err := checkDeployFiles([]byte(d), []byte(a), exported); err == nil {
			t.Errorf("%s: the broken copy passed", b.name)
		}
	}
}
