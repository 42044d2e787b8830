// Command deploycheck checks Dakiya's deployment files without a container
// engine or a cluster (deploy/deploycheck.sh runs it in `make test`):
//
//	deploycheck dockerfile FILE…          multi-stage, pinned bases, non-root final stage, HEALTHCHECK
//	deploycheck compose [-env-file F] FILE  compose-go's loader (compose-spec schema, interpolation,
//	                                        references) and Dakiya's rules
//	deploycheck k8s [-list] DIR|FILE…       Dakiya's rules for Kubernetes manifests; a DIR is read through
//	                                        its kustomization.yaml, and -list prints the files it names
//	deploycheck kustomize DIR               the objects `kubectl apply -k DIR` would apply, as one stream
//
// The schema check of Kubernetes manifests is kubeconform's, against the
// pinned schemas in deploy/k8s/schemas. Each command exits 1 naming every
// broken rule, so a refused file says all that is wrong with it at once.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "deploycheck:", err)
		os.Exit(1)
	}
}

const usage = "usage: deploycheck dockerfile FILE… | compose [-env-file F] FILE | k8s [-list] DIR|FILE… | kustomize DIR"

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", usage)
	}
	switch args[0] {
	case "dockerfile":
		return checkAll(args[1:], checkDockerfile)
	case "compose":
		return composeCmd(ctx, args[1:])
	case "k8s":
		return k8sCmd(args[1:], stdout)
	case "kustomize":
		return kustomizeCmd(args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}

// checkAll runs check on every file and reports each broken rule.
func checkAll(files []string, check func(string) []string) error {
	if len(files) == 0 {
		return fmt.Errorf("no files; %s", usage)
	}
	var all []string
	for _, f := range files {
		for _, p := range check(f) {
			all = append(all, f+": "+p)
		}
	}
	return problems(all)
}

func problems(ps []string) error {
	if len(ps) == 0 {
		return nil
	}
	return fmt.Errorf("%d problem(s):\n  %s", len(ps), strings.Join(ps, "\n  "))
}

// secretName matches settings whose values are secrets and so must come
// from a secret store (a file, a Secret, an interpolated variable), never
// written out in a deployment file. Names ending in _FILE point at such a
// file and are fine.
var secretName = regexp.MustCompile(`(?i)(password|passwd|secret|token|private|credential|(^|_)key$|access_key|api_key)`)

// isSecretName reports whether the setting name carries a secret.
func isSecretName(name string) bool {
	return !strings.HasSuffix(strings.ToUpper(name), "_FILE") && secretName.MatchString(name)
}

// urlPassword matches a URL with a password in it (scheme://user:pass@).
var urlPassword = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*:[^/@\s]+@`)

// imageProblem says what is wrong with an image reference: no tag or
// digest, or the moving "latest" tag.
func imageProblem(ref string) string {
	if strings.Contains(ref, "$") {
		return fmt.Sprintf("image %q is not a literal reference", ref)
	}
	if strings.Contains(ref, "@sha256:") {
		return ""
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	_, tag, ok := strings.Cut(name, ":")
	switch {
	case !ok || tag == "":
		return fmt.Sprintf("image %q has no tag (it would mean latest)", ref)
	case tag == "latest":
		return fmt.Sprintf("image %q uses the moving latest tag", ref)
	}
	return ""
}
