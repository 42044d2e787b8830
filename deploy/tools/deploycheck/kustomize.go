package main

import (
	"fmt"
	"io"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomizeCmd renders a kustomization as `kubectl apply -k DIR` would
// (kustomize's own library) and prints the objects as one YAML stream, so
// the schema check and the rules see what is applied, with the
// kustomization's namespace, labels and image applied.
func kustomizeCmd(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("kustomize takes one directory; %s", usage)
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	res, err := k.Run(filesys.MakeFsOnDisk(), args[0])
	if err != nil {
		return fmt.Errorf("kustomize %s: %w", args[0], err)
	}
	b, err := res.AsYaml()
	if err != nil {
		return fmt.Errorf("kustomize %s: %w", args[0], err)
	}
	_, err = stdout.Write(b)
	return err
}
