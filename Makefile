# cashmatch: run `make` for the list of targets.

GO      ?= go
PKGS    ?= ./...
FUZZTIME ?= 20s
BENCHDIR ?= .bench

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: build
build: ## build bin/cashmatch
	$(GO) build -o bin/cashmatch ./cmd/cashmatch

.PHONY: demo
demo: ## run the whole job on the bundled demo data
	$(GO) run ./cmd/cashmatch demo

.PHONY: test
test: vet fmt-check ## vet, gofmt check and the race-enabled test suite
	$(GO) test -race $(PKGS)

.PHONY: vet
vet: ## go vet
	$(GO) vet $(PKGS)

.PHONY: fmt-check
fmt-check: ## fail when gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

.PHONY: lint
lint: vet fmt-check ## gofmt, go vet and staticcheck
	$(GO) tool staticcheck $(PKGS)

.PHONY: race
race: ## the test suite with the race detector
	$(GO) test -race $(PKGS)

.PHONY: demo-data
demo-data: ## regenerate testdata/demo with the statement generator
	rm -f testdata/demo/*
	$(GO) run ./cmd/cashmatch gen --seed 1 --customers 40 --invoices 500 --payments 300 --per-day 150 --out testdata/demo

.PHONY: bench
bench: ## generate a small statement set and print the benchmark report (seconds)
	$(GO) build -o bin/cashmatch ./cmd/cashmatch
	bin/cashmatch gen --seed 1 --customers 300 --invoices 6000 --payments 3000 --per-day 1000 --out $(BENCHDIR)/small
	bin/cashmatch bench --dir $(BENCHDIR)/small

.PHONY: bench-large
bench-large: ## 1M payments against 1M open invoices, end to end with synced persistence
	$(GO) build -o bin/cashmatch ./cmd/cashmatch
	bin/cashmatch gen --seed 1 --customers 50000 --invoices 1000000 --payments 1000000 --out $(BENCHDIR)/large
	bin/cashmatch bench --dir $(BENCHDIR)/large

.PHONY: bench-go
bench-go: ## Go benchmarks of the hot paths, one pass each (use -count and benchstat to compare)
	$(GO) test -run '^$$' -bench . -benchtime 1x $(PKGS)

.PHONY: fuzz
fuzz: ## run every fuzz target for FUZZTIME each
	@for pkg in $$($(GO) list $(PKGS)); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

.PHONY: golden
golden: ## rewrite golden files from the current output
	$(GO) test $(PKGS) -update

.PHONY: clean
clean: ## remove build output
	rm -rf bin
