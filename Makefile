# Dakiya: `make run` starts everything, `make test` runs every test.
SHELL := /bin/bash
GO    ?= go

.PHONY: run test bench build vet vulncheck fmt clean
.DEFAULT_GOAL := run

build: bin/dakiya

bin/dakiya: FORCE
	$(GO) build -o bin/dakiya ./server

# The pinned Versity S3 Gateway, from its own tools module so the server's
# module stays small.
bin/versitygw: deploy/tools/go.mod deploy/tools/go.sum
	cd deploy/tools && $(GO) build -o ../../bin/versitygw github.com/versity/versitygw/cmd/versitygw

run: bin/dakiya bin/versitygw
	deploy/run.sh

test: bin/versitygw
	deploy/test.sh

bench: bin/versitygw
	deploy/bench.sh

vet:
	$(GO) vet ./...

# govulncheck against the Go vulnerability database pinned in deploy/tools
# (also part of `make test`).
vulncheck:
	deploy/vulncheck.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
	@echo "var/ (database, S3 data, secret key) is kept; remove it yourself to start afresh"

FORCE:
