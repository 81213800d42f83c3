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
NODE_BIN := $(shell command -v $(NODE) 2>/dev/null)

.PHONY: build deps native ts oracle test test-dist binary run bench clean distclean

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

# The oracle for the tests: Debian's python3-psutil. Installed when missing
# and we are root; otherwise the oracle tests report themselves skipped
# (or fail, under CI=true).
oracle:
	@if $(PYTHON) -c 'import psutil' 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing python3-psutil (the test oracle)"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-psutil >/dev/null) \
	    || echo "warning: python3-psutil could not be installed; oracle tests will be skipped"; \
	else echo "warning: python3-psutil is missing and we are not root; oracle tests will be skipped"; fi

# The single binary: this node + the bundled CLI + the addon, as a Node
# single executable application (scripts/build-binary.mjs; works offline).
$(BINARY): dist/.stamp $(PREBUILD) package.json scripts/build-binary.mjs $(NODE_BIN)
	$(NODE) scripts/build-binary.mjs --out $@

binary: build $(BINARY)

# The slow tests of what users get: the single binary and the npm tarball
# installed into an empty directory (vitest.dist.config.ts).
test-dist: binary
	$(NPM) run test:dist

test: build oracle
	$(NPM) test
	$(MAKE) test-dist

run: build
	$(NODE) bin/pps aux

bench: build binary oracle
	$(NPM) run bench

clean:
	rm -rf dist build prebuilds coverage *.tgz

distclean: clean
	rm -rf node_modules
