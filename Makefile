# ptools — the two commands a user types are `make run` and `make test`;
# every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := build

NPM      ?= npm
NODE     ?= node
PYTHON   ?= /usr/bin/python3
TS_SRC   := $(shell find src -name '*.ts' 2>/dev/null)
NATIVE_SRC := binding.gyp $(wildcard src/native/*.cc src/native/*.h)
PREBUILD := prebuilds/linux-x64/ptools.node
BINARY   := dist/bin/ptools-linux-x64
SANITIZED := build-sanitize/ptools.node
NODE_BIN := $(shell command -v $(NODE) 2>/dev/null)

.PHONY: build deps native ts oracle test test-dist test-sanitize binary run bench clean distclean

# npm dependencies (re-installed when package.json changes). The package has
# no install script (it ships a prebuild, so installing it never compiles);
# the addon is built below.
node_modules/.stamp: package.json
	$(NPM) install --no-audit --no-fund
	@touch $@

deps: node_modules/.stamp

# The native addon, as the prebuild that ships in the package.
$(PREBUILD): $(NATIVE_SRC) node_modules/.stamp
	$(NPM) run prebuild
	@touch $@

native: $(PREBUILD)

# TypeScript → dist/ with declarations, and the CommonJS build (dist/cjs/).
dist/.stamp: $(TS_SRC) tsconfig.json scripts/build-cjs.mjs node_modules/.stamp
	$(NPM) run compile
	@touch $@

ts: dist/.stamp

build: deps native ts

# The oracles for the tests: Debian's python3-psutil, tmux (the toprc suite
# drives the real top in it to write its fixtures), zsh and fish (the
# completion scripts are checked by the shells themselves). Installed when
# missing and we are root; otherwise the oracle tests report themselves
# skipped (or fail, under CI=true).
oracle:
	@if $(PYTHON) -c 'import psutil' 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing python3-psutil (the test oracle)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-psutil >/dev/null) \
	    || echo "warning: python3-psutil could not be installed; oracle tests will be skipped"; \
	else echo "warning: python3-psutil is missing and we are not root; oracle tests will be skipped"; fi
	@missing=""; for t in tmux zsh fish; do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing$$missing (tmux drives the real top for the toprc fixtures; zsh and fish check the completion scripts)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	    || echo "warning:$$missing could not be installed; their tests will be skipped"; \
	else echo "warning:$$missing missing and we are not root; their tests will be skipped"; fi

# The single binary: this node + the bundled CLI + the addon, as a Node
# single executable application (scripts/build-binary.mjs; works offline).
$(BINARY): dist/.stamp $(PREBUILD) package.json scripts/build-binary.mjs $(NODE_BIN)
	$(NODE) scripts/build-binary.mjs --out $@

binary: build $(BINARY)

# The slow tests of what users get: the single binary and the npm tarball
# installed into an empty directory (vitest.dist.config.ts).
test-dist: binary
	$(NPM) run test:dist

# The native addon under AddressSanitizer + UBSan (-fno-sanitize-recover, and
# float-cast-overflow, which GCC's "undefined" leaves out), built by one g++
# command into build-sanitize/ (scripts/build-sanitize.mjs; the prebuild and
# build/ are untouched).
$(SANITIZED): $(NATIVE_SRC) scripts/build-sanitize.mjs node_modules/.stamp
	$(NODE) scripts/build-sanitize.mjs --out $@

# The tests that exercise the addon (vitest.sanitize.config.ts: native, the
# hostile-argument fuzz of every binding, the scanner, sock_diag,
# connections, races) against the sanitized addon, loaded via PTOOLS_NATIVE.
# What works with a stock (uninstrumented) node: preloading g++'s libasan.so
# and libubsan.so. ASan must be the first library in the process; without
# the preload, dlopen of the sanitized addon aborts ("ASan runtime does not
# come first"). vitest's forked workers inherit the variables;
# test/helpers/sanitize-setup.ts checks them there, then keeps them from the
# processes the tests start (ASan changes those, and procps' ps deadlocked
# under it) except where a test runs the addon in a child. detect_leaks=0:
# node does not free everything at exit. Any report aborts the worker
# (halt_on_error/abort_on_error; UBSan's checks are built non-recoverable
# too), which fails the run.
test-sanitize: build oracle $(SANITIZED)
	LD_PRELOAD="$$($(NODE) scripts/build-sanitize.mjs --print-preload)" \
	ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	PTOOLS_NATIVE="$(abspath $(SANITIZED))" \
	  npx vitest run --config vitest.sanitize.config.ts

test: build oracle
	$(NPM) test
	$(MAKE) test-sanitize
	$(MAKE) test-dist

run: build
	$(NODE) bin/pps aux

bench: build binary oracle
	$(NPM) run bench

clean:
	rm -rf dist build build-sanitize prebuilds coverage *.tgz

distclean: clean
	rm -rf node_modules
