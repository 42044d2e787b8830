package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// k8sCmd checks Dakiya's rules on Kubernetes manifests. A directory is
// read through its kustomization.yaml: every resource it names must be a
// local file, and none may be a Secret (those are made out of band, from
// secret.example.yaml). With -list it prints the resource files, one a
// line, for kubeconform.
func k8sCmd(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("k8s", flag.ContinueOnError)
	list := fs.Bool("list", false, "print the resource files a kustomization names")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var files, ps []string
	for _, a := range fs.Args() {
		if st, err := os.Stat(a); err == nil && st.IsDir() {
			fs, p := kustomizationFiles(a)
			files, ps = append(files, fs...), append(ps, p...)
			continue
		}
		files = append(files, a)
	}
	if len(files) == 0 {
		return problems(append(ps, "no manifests; "+usage))
	}
	for _, f := range files {
		for _, p := range checkManifests(f) {
			ps = append(ps, f+": "+p)
		}
	}
	if err := problems(ps); err != nil {
		return err
	}
	if *list {
		fmt.Fprintln(stdout, strings.Join(files, "\n"))
	}
	return nil
}

// kustomizationFiles are the resource files dir/kustomization.yaml names.
func kustomizationFiles(dir string) ([]string, []string) {
	path := filepath.Join(dir, "kustomization.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, []string{err.Error()}
	}
	var k struct {
		APIVersion string   `yaml:"apiVersion"`
		Kind       string   `yaml:"kind"`
		Resources  []string `yaml:"resources"`
	}
	if err := yaml.Unmarshal(b, &k); err != nil {
		return nil, []string{path + ": " + err.Error()}
	}
	var files, ps []string
	if k.Kind != "Kustomization" || !strings.HasPrefix(k.APIVersion, "kustomize.config.k8s.io/") {
		ps = append(ps, path+": not a kustomize.config.k8s.io Kustomization")
	}
	for _, r := range k.Resources {
		f := filepath.Join(dir, r)
		if st, err := os.Stat(f); err != nil || st.IsDir() {
			ps = append(ps, fmt.Sprintf("%s: resource %q is not a file here", path, r))
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		ps = append(ps, path+": no resources")
	}
	return files, ps
}

// checkManifests checks every document of a YAML file.
func checkManifests(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return []string{err.Error()}
	}
	var ps []string
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for i := 1; ; i++ {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return append(ps, fmt.Sprintf("document %d: %v", i, err))
		}
		if doc == nil {
			continue
		}
		kind, _ := doc["kind"].(string)
		name, _ := dig(doc, "metadata", "name").(string)
		for _, p := range objectRules(kind, doc) {
			ps = append(ps, fmt.Sprintf("%s %s: %s", kind, name, p))
		}
	}
	return ps
}

// objectRules are the rules for one object.
func objectRules(kind string, doc map[string]any) []string {
	switch kind {
	case "Secret":
		return []string{"a Secret is never deployed from these files (secret.example.yaml shows its keys)"}
	case "ConfigMap":
		var ps []string
		data, _ := doc["data"].(map[string]any)
		for k := range data {
			if isSecretName(k) {
				ps = append(ps, fmt.Sprintf("ConfigMap key %s looks like a secret: put it in the Secret", k))
			}
		}
		return ps
	case "Deployment", "StatefulSet", "DaemonSet", "Job":
		pod, _ := dig(doc, "spec", "template", "spec").(map[string]any)
		if pod == nil {
			return []string{"no spec.template.spec"}
		}
		return podRules(pod, kind == "Deployment")
	case "CronJob":
		pod, _ := dig(doc, "spec", "jobTemplate", "spec", "template", "spec").(map[string]any)
		if pod == nil {
			return []string{"no spec.jobTemplate.spec.template.spec"}
		}
		return podRules(pod, false)
	}
	return nil
}

// podRules: non-root, read-only root file system, no privilege
// escalation, pinned images, resources, secrets by reference; and for a
// server (serving) readiness on /readyz and a liveness probe.
func podRules(pod map[string]any, serving bool) []string {
	var ps []string
	podNonRoot := dig(pod, "securityContext", "runAsNonRoot") == true
	var containers []any
	for _, key := range []string{"initContainers", "containers"} {
		l, _ := pod[key].([]any)
		containers = append(containers, l...)
	}
	if len(containers) == 0 {
		return []string{"no containers"}
	}
	for _, c := range containers {
		c, _ := c.(map[string]any)
		name, _ := c["name"].(string)
		bad := func(format string, a ...any) {
			ps = append(ps, "container "+name+": "+fmt.Sprintf(format, a...))
		}
		img, _ := c["image"].(string)
		if msg := imageProblem(img); msg != "" {
			bad("%s", msg)
		}
		if !podNonRoot && dig(c, "securityContext", "runAsNonRoot") != true {
			bad("runAsNonRoot is not true (pod or container securityContext)")
		}
		if dig(c, "securityContext", "readOnlyRootFilesystem") != true {
			bad("readOnlyRootFilesystem is not true")
		}
		if dig(c, "securityContext", "allowPrivilegeEscalation") != false {
			bad("allowPrivilegeEscalation is not false")
		}
		if dig(c, "resources", "requests") == nil || dig(c, "resources", "limits", "memory") == nil {
			bad("resources need requests and a memory limit")
		}
		env, _ := c["env"].([]any)
		for _, e := range env {
			e, _ := e.(map[string]any)
			n, _ := e["name"].(string)
			v, literal := e["value"].(string)
			switch {
			case literal && isSecretName(n) && v != "":
				bad("env %s is written in the manifest; take it from a Secret (secretKeyRef)", n)
			case literal && urlPassword.MatchString(v):
				bad("env %s carries a password in the manifest", n)
			}
		}
		if serving {
			if p := dig(c, "readinessProbe", "httpGet", "path"); p != "/readyz" {
				bad("readinessProbe must be an httpGet of /readyz (is %v)", p)
			}
			if dig(c, "livenessProbe") == nil {
				bad("no livenessProbe")
			}
		}
	}
	return ps
}

// dig walks maps by keys; nil when any step is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
