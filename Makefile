# Medical image server: Orthanc + our plugin, and its web UI.
#   make run    build and start the server on http://127.0.0.1:8042/ (UI at /ui/)
#   make test   build and run every test (unit, integration, UI unit, browser end-to-end)
# Both install what they need first, from Debian's packages and npm (the
# committed lock files), on Debian 12 (bookworm) and Debian 13 (trixie):
#   make deps-run   what running the server needs: the plugin, the users tool, the UI
#   make deps-test  and what the tests need on top (make deps: the same)

BUILD_DIR ?= build
JOBS ?= 2

# Run: Orthanc, its DICOMweb plugin and GDCM (JPEG 2000 decoding); nginx in
# front of it with njs (the body checks of orthanc-config/front/body-checks.mjs),
# openssl (a self-signed certificate) and envsubst (gettext-base) to render its
# configuration.
RUNTIME_PACKAGES := orthanc orthanc-dicomweb orthanc-gdcm curl nginx libnginx-mod-http-js \
  openssl gettext-base
# Build: the SDK and the libraries. DCMTK's CMake package names the libraries
# DCMTK was built with (libtiff, libxml2, OpenSSL, ...) as link dependencies,
# so their -dev packages are needed too (Debian 13's libdcmtk-dev does not
# pull them in).
BUILD_PACKAGES := orthanc-dev cmake g++ make pkg-config libdcmtk-dev libjsoncpp-dev \
  libsodium-dev libsqlite3-dev libpq-dev libjpeg62-turbo-dev libpng-dev \
  libtiff-dev libxml2-dev libssl-dev zlib1g-dev
# Tests: GoogleTest and GoogleMock; curl for the HTTP client of the integration
# tests; dcmtk's storescu/findscu; throw-away PostgreSQL clusters (initdb,
# postgres) for the users store; orthanc-postgresql for two nodes over one
# PostgreSQL; pydicom + numpy for the independent reference figures; httplib2,
# one of the clients that answer the front's Basic challenge.
TEST_PACKAGES := libgtest-dev libgmock-dev libcurl4-openssl-dev dcmtk postgresql \
  orthanc-postgresql python3 python3-pydicom python3-numpy python3-httplib2
# The UI's browser tests: Debian's Chromium (no browser download) and a sans-serif font.
UI_TEST_PACKAGES := chromium fonts-liberation2
BENCH_PACKAGES := wrk python3-fastapi python3-uvicorn python3-multipart python3-pydicom \
  python3-numpy

# The web UI (Svelte + Vite) and its end-to-end tests (playwright-core).
UI_DIR := frontend
UI_DIST := $(UI_DIR)/dist/index.html
# The UI's API types are generated from the server's OpenAPI document by each
# npm run build, check and test (into src/generated/, not a source): the
# document is one of the UI's sources.
OPENAPI_DOCUMENT := plugin/resources/openapi.json
UI_SOURCES := $(shell find $(UI_DIR)/src $(UI_DIR)/public -path $(UI_DIR)/src/generated -prune \
    -o -type f -print 2>/dev/null) \
  $(UI_DIR)/index.html $(UI_DIR)/vite.config.ts $(UI_DIR)/svelte.config.js \
  $(UI_DIR)/tsconfig.json $(UI_DIR)/package.json $(UI_DIR)/package-lock.json $(OPENAPI_DOCUMENT)
# npm ci writes node_modules/.package-lock.json: it stands for "installed from this lock".
UI_MODULES := $(UI_DIR)/node_modules/.package-lock.json
E2E_DIR := tests/e2e
E2E_MODULES := $(E2E_DIR)/node_modules/.package-lock.json
# Every Node test file of the end-to-end folder (UI, OpenAPI, ...); each starts its own server.
E2E_TESTS = $(wildcard $(E2E_DIR)/*.test.mjs)

# What the server is made of; `make test` builds every target of the tree.
SERVER_TARGETS := medical-image-server medical-image-server-users

.PHONY: all deps deps-run deps-test deps-debian-run deps-debian-test deps-node deps-bench \
  build build-tests build-ui run test unit-test integration-test ui-unit-test e2e-test \
  bench bench-auth bench-slice bench-ingest clean

all: build

deps: deps-test

deps-run: deps-debian-run $(UI_MODULES)

deps-test: deps-run deps-debian-test $(E2E_MODULES)

deps-debian-run:
	@scripts/install-deps.sh $(RUNTIME_PACKAGES) $(BUILD_PACKAGES)

deps-debian-test:
	@scripts/install-deps.sh $(TEST_PACKAGES) $(UI_TEST_PACKAGES)

# Node.js and npm: the machine's if present, else Debian's (18.20 on Debian 12, 20.19 on 13).
deps-node: | deps-debian-run
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
	  scripts/install-deps.sh nodejs npm
	@node $(UI_DIR)/tools/check-node.mjs

$(UI_MODULES): $(UI_DIR)/package.json $(UI_DIR)/package-lock.json | deps-node
	cd $(UI_DIR) && npm ci --no-audit --no-fund
	@touch $@

$(E2E_MODULES): $(E2E_DIR)/package.json $(E2E_DIR)/package-lock.json | deps-node
	cd $(E2E_DIR) && npm ci --no-audit --no-fund
	@touch $@

deps-bench: deps
	@scripts/install-deps.sh $(BENCH_PACKAGES)

# The UI is rebuilt only when its sources or its packages changed.
$(UI_DIST): $(UI_SOURCES) $(UI_MODULES)
	cd $(UI_DIR) && npm run build

build-ui: $(UI_DIST)

# The server alone: the plugin, the users tool and the UI.
build: deps-run $(UI_DIST)
	@scripts/configure-build.sh $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS) --target $(SERVER_TARGETS)

# The same build folder with the tests switched on, and everything built.
build-tests: build deps-test
	@scripts/configure-build.sh $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DMIS_BUILD_TESTS=ON
	cmake --build $(BUILD_DIR) -j $(JOBS)

# HTTP_PORT, HTTPS_PORT, DICOM_PORT and STATE_DIR choose the ports and the
# storage folder; TLS_CERT and TLS_KEY the front's certificate (scripts/run-server.sh).
run: build
	scripts/run-server.sh

# Integration tests mostly wait on Orthanc starting and stopping: run 4 at once.
# Then the UI: type checks and Vitest, then the browser tests against a real server.
test: build-tests
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 4
	cd $(UI_DIR) && npm run test
	BUILD_DIR=$(abspath $(BUILD_DIR)) node --test $(E2E_TESTS)

unit-test: build-tests
	ctest --test-dir $(BUILD_DIR) --output-on-failure -L unit

# Scale-out: two server nodes over one throw-away PostgreSQL (part of make test too).
.PHONY: test-cluster
test-cluster: build-tests
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 3 -L cluster

integration-test: build-tests
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j 4 -L integration

ui-unit-test: deps-run
	cd $(UI_DIR) && npm run test

e2e-test: build-tests
	BUILD_DIR=$(abspath $(BUILD_DIR)) node --test $(E2E_TESTS)

bench: build deps-bench
	bench/volume

bench-auth: build deps-bench
	bench/auth

bench-slice: build deps-bench
	bench/slice

bench-ingest: build deps-bench
	bench/ingest

clean:
	rm -rf $(BUILD_DIR) $(UI_DIR)/dist $(UI_DIR)/src/generated

# What the HTTP front (nginx) costs against Orthanc directly.
.PHONY: bench-front
bench-front: build deps-bench
	bench/front

# Mixed load (uploads, middle slices, QIDO) at concurrency 16 and the server's memory.
.PHONY: bench-load
bench-load: build deps-bench
	bench/load

# Sanitizers, in two builds of their own:
#  - build-asan/: the core and its unit tests with AddressSanitizer + UBSan
#    (leak detection on);
#  - build-ubsan/: the plugin, the users tool and the integration tests with
#    UBSan, run against the real Orthanc. Not ASan there: Debian 12's Orthanc
#    links p11-kit (through libcurl and GnuTLS), whose start-up code runs before
#    a preloaded ASan runtime and then hangs in newlocale (a known sanitizer
#    problem), so an uninstrumented Orthanc cannot load an ASan plugin.
# Any sanitizer report fails the test that caused it (the harness reads the
# test servers' reports).
ASAN_BUILD_DIR ?= build-asan
UBSAN_BUILD_DIR ?= build-ubsan
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: test-asan
test-asan: deps-debian-run deps-debian-test
	@scripts/configure-build.sh $(ASAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMIS_BUILD_TESTS=ON -DMIS_SANITIZE=address,undefined
	@scripts/configure-build.sh $(UBSAN_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DMIS_BUILD_TESTS=ON -DMIS_SANITIZE=undefined
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS) --target core-unit-tests auth-unit-tests \
	  render-unit-tests fuzz-replay-volume fuzz-replay-multipart fuzz-replay-credentials \
	  fuzz-replay-json
	$(SANITIZER_ENV) ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j 2 -L unit
	cmake --build $(UBSAN_BUILD_DIR) -j $(JOBS) --target medical-image-server \
	  medical-image-server-users integration-tests cluster-tests
	$(SANITIZER_ENV) ctest --test-dir $(UBSAN_BUILD_DIR) --output-on-failure -j 3 \
	  -L 'integration|cluster'


# Fuzzing with libFuzzer (clang-14): tests/fuzz/, built apart in build-fuzz/.
#   make fuzz                    each target for 60 s; FUZZ_SECONDS=600 make fuzz for longer
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev

.PHONY: deps-fuzz fuzz-build fuzz

deps-fuzz: deps-debian-run
	@scripts/install-deps.sh $(FUZZ_PACKAGES)

fuzz-build: deps-fuzz
	@scripts/configure-build.sh $(FUZZ_DIR) -DMIS_FUZZING=ON -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz-volume fuzz-multipart fuzz-credentials fuzz-json

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_DIR)

# Ingest throughput of one node and of two nodes over one throw-away PostgreSQL.
.PHONY: bench-cluster
bench-cluster: build deps-bench
	bench/cluster

# What a new user meets: fresh Debian 12 and Debian 13 containers (podman) with
# only a clone of the repository, where make run must answer and make test
# pass; then docker-compose.yml built and run. See tests/fresh/run.sh.
.PHONY: test-fresh
test-fresh:
	tests/fresh/run.sh
