package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// stage is one FROM … section of a Dockerfile.
type stage struct {
	base, name string
	user       string // the last USER, "" when none
	health     string // "CMD" or "NONE" of the last HEALTHCHECK, "" when none
	runs       []string
}

// checkDockerfile parses the file with BuildKit's own parser and checks
// the rules for Dakiya's image.
func checkDockerfile(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	res, err := parser.Parse(f)
	if err != nil {
		return []string{"parse: " + err.Error()}
	}
	var stages []*stage
	var ps []string
	for _, n := range res.AST.Children {
		args := words(n.Next)
		switch strings.ToLower(n.Value) {
		case "from":
			st := &stage{}
			if len(args) > 0 {
				st.base = args[0]
			}
			if len(args) == 3 && strings.EqualFold(args[1], "as") {
				st.name = strings.ToLower(args[2])
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if !strings.EqualFold(n.Value, "arg") {
				ps = append(ps, fmt.Sprintf("line %d: %s before the first FROM", n.StartLine, n.Value))
			}
			continue
		}
		st := stages[len(stages)-1]
		switch strings.ToLower(n.Value) {
		case "user":
			if len(args) > 0 {
				st.user = args[0]
			}
		case "healthcheck":
			if len(args) > 0 {
				st.health = strings.ToUpper(args[0])
			}
		case "run":
			st.runs = append(st.runs, strings.Join(args, " "))
		}
	}
	if len(stages) < 2 {
		return append(ps, fmt.Sprintf("%d stage(s): the image must be multi-stage (build, then a minimal runtime)", len(stages)))
	}
	names := map[string]bool{}
	for _, st := range stages {
		if !names[strings.ToLower(st.base)] && st.base != "scratch" {
			if p := imageProblem(st.base); p != "" {
				ps = append(ps, p)
			}
		}
		if st.name != "" {
			names[st.name] = true
		}
	}
	final := stages[len(stages)-1]
	if final.base != "scratch" && !strings.HasPrefix(final.base, "gcr.io/distroless/") {
		ps = append(ps, fmt.Sprintf("final stage is %q: it must be distroless or scratch", final.base))
	}
	if final.user == "" {
		ps = append(ps, "final stage has no USER: it would run as root")
	} else if u, _, _ := strings.Cut(final.user, ":"); u == "root" || u == "0" {
		ps = append(ps, fmt.Sprintf("final stage runs as USER %s", final.user))
	}
	if final.health != "CMD" {
		ps = append(ps, "final stage has no HEALTHCHECK CMD")
	}
	static := false
	for _, st := range stages[:len(stages)-1] {
		for _, r := range st.runs {
			if strings.Contains(r, "CGO_ENABLED=0") && strings.Contains(r, "go build") {
				static = true
			}
		}
	}
	if !static {
		ps = append(ps, "no build stage runs `CGO_ENABLED=0 go build`: the binary may not be static")
	}
	return ps
}

// words are the values of a parsed instruction's arguments.
func words(n *parser.Node) []string {
	var out []string
	for ; n != nil; n = n.Next {
		out = append(out, n.Value)
	}
	return out
}
