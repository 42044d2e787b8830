package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// composeCmd loads a compose file the way `docker compose` does (the
// compose-spec JSON schema, interpolation from the env file, references
// between services, networks, volumes and secrets), and then checks
// Dakiya's rules on it, once as written and once interpolated.
func composeCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("compose", flag.ContinueOnError)
	envFile := fs.String("env-file", "", "variables to interpolate with (e.g. compose.env.example)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("compose takes one file; %s", usage)
	}
	file := fs.Arg(0)
	load := func(interpolate bool) (*types.Project, error) {
		opts := []cli.ProjectOptionsFn{
			cli.WithWorkingDirectory(filepath.Dir(file)),
			cli.WithInterpolation(interpolate),
			// Only the env file: the checking machine's environment must not
			// fill in what the file forgot.
			cli.WithEnv(nil),
		}
		if *envFile != "" {
			opts = append(opts, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
		}
		o, err := cli.NewProjectOptions([]string{file}, opts...)
		if err != nil {
			return nil, err
		}
		return o.LoadProject(ctx)
	}
	p, err := load(true)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	raw, err := load(false)
	if err != nil {
		return fmt.Errorf("%s (not interpolated): %w", file, err)
	}
	var ps []string
	for _, p := range composeRules(p, raw) {
		ps = append(ps, file+": "+p)
	}
	return problems(ps)
}

// composeRules are Dakiya's rules for its compose file: p is the project
// interpolated, raw as written.
func composeRules(p, raw *types.Project) []string {
	var ps []string
	names := make([]string, 0, len(p.Services))
	for n := range p.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	replicas := 0
	for _, n := range names {
		s := p.Services[n]
		if s.Image == "" && s.Build == nil {
			ps = append(ps, fmt.Sprintf("service %s: neither image nor build", n))
		} else if s.Image != "" {
			if msg := imageProblem(s.Image); msg != "" {
				ps = append(ps, fmt.Sprintf("service %s: %s", n, msg))
			}
		}
		oneShot := s.Restart == "no" || s.Restart == ""
		if !oneShot && (s.HealthCheck == nil || s.HealthCheck.Disable || len(s.HealthCheck.Test) == 0) {
			ps = append(ps, fmt.Sprintf("service %s: a long-running service needs a healthcheck", n))
		}
		// Secrets are never written into the file: a secret-looking setting
		// must come from a variable (${…}) or a file (*_FILE).
		for k, v := range raw.Services[n].Environment {
			if v == nil || strings.Contains(*v, "${") {
				continue
			}
			if isSecretName(k) && *v != "" {
				ps = append(ps, fmt.Sprintf("service %s: %s is written in the file; take it from compose.env or a secret", n, k))
			} else if urlPassword.MatchString(*v) {
				ps = append(ps, fmt.Sprintf("service %s: %s carries a password in the file", n, k))
			}
		}
		if isServer(s) {
			replicas++
			dep, ok := s.DependsOn["migrate"]
			if !ok || dep.Condition != types.ServiceConditionCompletedSuccessfully {
				ps = append(ps, fmt.Sprintf("service %s: must depend on migrate with condition service_completed_successfully", n))
			}
			if s.Environment["DAKIYA_ENV"] == nil || *s.Environment["DAKIYA_ENV"] != "production" {
				ps = append(ps, fmt.Sprintf("service %s: DAKIYA_ENV must be production", n))
			}
			if !s.ReadOnly {
				ps = append(ps, fmt.Sprintf("service %s: read_only root file system expected", n))
			}
		}
	}
	if replicas < 2 {
		ps = append(ps, fmt.Sprintf("%d Dakiya server replica(s); the deployment runs several", replicas))
	}
	return ps
}

// isServer reports whether s runs `dakiya serve`: it is built from our
// Dockerfile and runs the image's default command.
func isServer(s types.ServiceConfig) bool {
	return s.Build != nil && strings.HasSuffix(s.Build.Dockerfile, "Dockerfile") &&
		(len(s.Command) == 0 || s.Command[0] == "serve")
}
