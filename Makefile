# CityWatch — the two commands of the README, and a few more.
#   make run     install what is missing, build, start the demo (16 synthetic cameras recording) on SQLite under ./.citywatch/
#   make test    the whole test suite: SQLite and PostgreSQL, the browser test
#   make bench   the benchmarks recorded in BENCHMARKS.md (citywatch-bench, an executable of its own)
#   make fuzz    the API fuzzer's long run: every operation, destructive ones too, 30 minutes a role
#   make install PREFIX=/opt/citywatch   the release binary in PREFIX/bin, its console in PREFIX/share/citywatch/Public
#   make cluster three nodes, PostgreSQL and nginx on this machine: https://127.0.0.1:8443/ (scripts/cluster.sh)

SWIFT ?= swift
ADDRESS ?= 127.0.0.1:8080
DATA_DIR ?= .citywatch
PREFIX ?= /usr/local

CLUSTER_PORT ?= 8443

.PHONY: run serve cluster build release install test bench bench-cluster fuzz deps clean help api-doc

help:
	@echo "make run (demo) | make serve (no demo cameras) | make cluster (three nodes behind nginx) | make test | make bench | make bench-cluster | make fuzz | make deps | make release | make install PREFIX=DIR | make clean"

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build --product citywatch

# The shipped binary only; the benchmarks are a product of their own (make bench).
release: deps
	$(SWIFT) build -c release --product citywatch

# The binary finds its console at PREFIX/share/citywatch/Public wherever it is run from.
install: release
	scripts/install.sh "$(PREFIX)" "$$($(SWIFT) build -c release --show-bin-path)/citywatch"

run: build
	@mkdir -p $(DATA_DIR)
	$(SWIFT) run --skip-build citywatch demo --address $(ADDRESS) --data-dir $(DATA_DIR)

serve: build
	@mkdir -p $(DATA_DIR)
	$(SWIFT) run --skip-build citywatch serve --address $(ADDRESS) --data-dir $(DATA_DIR)

# Three nodes on one PostgreSQL behind nginx with the demo cameras; Ctrl-C stops everything.
cluster: build
	scripts/cluster.sh --port $(CLUSTER_PORT) --binary "$$($(SWIFT) build --show-bin-path)/citywatch"

# At most this many tests at once: on two cores, all 440 started together (browsers, ffmpeg, two
# databases) took so long to get going that connection pools timed out; no slower overall.
TEST_WIDTH ?= 6

# Suites that time a bell press to the wall (< 1 s) run afterwards on their own: every test
# server shares one process and its two-thread async pool with the others, and beside five
# parallel suites a press waited 1–6 s for a thread, which says nothing about CityWatch.
# The cluster suites run there too: three servers and a dozen ffmpegs time failovers, and beside
# the rest they would only measure the machine's load. So does the suite that times a change of
# rights reaching an open socket (< 2 s): beside five others it took 3.4–4.2 s twice.
TIMED_SUITES ?= ImportBellPressTests|BellPressBrowserTests|AccessChangeSocketTests|ClusterNodesTests|ClusterClockSkewTests|ClusterStoreOutageTests|ClusterRelayTests|ClusterPartitionTests|ClusterRollingUpgradeTests|ClusterArchiveTests

# The API fuzzer runs right after the build, before the suites: schemathesis against a fresh
# server per role, about two minutes (scripts/fuzz-api.sh). Its tools install from PyPI while the
# build runs.
test: deps
	scripts/install-python-tools.sh > /dev/null & tools=$$!; $(SWIFT) build --build-tests; built=$$?; wait $$tools && [ $$built = 0 ]
	scripts/fuzz-api.sh
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) $(SWIFT) test --skip-build --skip '$(TIMED_SUITES)'
	SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=1 $(SWIFT) test --skip-build --filter '$(TIMED_SUITES)'

# docs/API.md is made from the OpenAPI document; a test fails when it is not current.
api-doc: build
	"$$($(SWIFT) build --show-bin-path)/citywatch" openapi --markdown > docs/API.md

bench: release
	$(SWIFT) build -c release --product citywatch-bench
	scripts/bench.sh

# Nodes, their ffmpegs and a PostgreSQL of its own on this machine, killed on purpose: run alone,
# it is not part of `make bench` or `make test` (CAMERAS=… and NODES=… change the sizes).
bench-cluster: deps
	$(SWIFT) build -c release --product citywatch
	$(SWIFT) build -c release --product citywatch-bench
	scripts/bench-cluster.sh

fuzz: build
	scripts/fuzz-api.sh --long

clean:
	rm -rf .build .citywatch .citywatch-cluster
