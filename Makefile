# The entry point. `make` sets everything up on a fresh Debian machine and builds
# the site; `make test` runs the tests. Every target calls the package's CLI.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CLI := $(PY) -m polypress
JOBS ?= 0
# Debian packages: python3-venv (a minimal Debian's python3 cannot make a venv without it),
# GNU gettext (msgfmt for checks), fonts embedded in the PDFs and
# e-books, HarfBuzz subsetting for WeasyPrint, poppler (pdftoppm thumbnails),
# Chromium with its driver for the site's browser tests, and epubcheck (with a Java
# runtime) which validates every EPUB in the tests, and faketime (the reproducibility test builds with
# the clock moved).
DEB_PACKAGES := python3-venv gettext fonts-liberation2 libharfbuzz-subset0 poppler-utils \
	chromium chromium-driver fonts-noto-core fonts-noto-cjk epubcheck faketime

.PHONY: all setup build test lint format extract update clean thumbnails bench

all: build

setup: $(VENV)/.installed

$(VENV)/.debian: scripts/install-debian-packages
	scripts/install-debian-packages $(DEB_PACKAGES)
	@mkdir -p $(VENV) && touch $@

# constraints.txt pins every package in the venv, dependencies of dependencies too
# (pip freeze of a working venv), so two machines render the same bytes.
$(VENV)/.installed: pyproject.toml constraints.txt $(VENV)/.debian
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,dask]'
	@touch $@

# BUILD_FLAGS=--strict makes warnings (fallbacks to English, renderer warnings) fatal: CI uses it.
BUILD_FLAGS ?=
build: setup
	$(CLI) build --jobs $(JOBS) $(BUILD_FLAGS)

# One pytest process per core (up to 4), a test file to a process: its module fixtures are made once.
test: setup
	$(PY) -m pytest -q --numprocesses auto --maxprocesses 4 --dist loadfile

lint: setup
	$(PY) -m ruff check polypress tests
	$(PY) -m ruff format --check polypress tests

format: setup
	$(PY) -m ruff format polypress tests
	$(PY) -m ruff check --fix polypress tests

extract: setup
	$(CLI) extract

update: setup
	$(CLI) update

# The translator's loop (README, "For translators"): update, stats, check, build.
.PHONY: stats check add-language
stats: setup
	$(CLI) stats

check: setup
	$(CLI) check

# LANG is also the shell's locale variable: only a LANG given on the command line counts.
add-language: setup
	@if [ "$(origin LANG)" != "command line" ]; then \
	  echo "usage: make add-language LANG=xx   (a language code such as de, pt_BR or sw)" >&2; exit 2; fi
	$(CLI) add-language $(LANG)

# XLIFF for CAT tools (README, "With a CAT tool"): make xliff-export LANG=fr [XLIFF_VERSION=1.2]
# writes build/xliff/fr/*.xlf; make xliff-import FILES="build/xliff/fr/*.xlf" brings them back.
.PHONY: xliff-export xliff-import
XLIFF_VERSION ?= 2.0
xliff-export: setup
	@if [ "$(origin LANG)" != "command line" ]; then \
	  echo "usage: make xliff-export LANG=xx [XLIFF_VERSION=1.2]" >&2; exit 2; fi
	$(CLI) xliff export --lang $(LANG) --version $(XLIFF_VERSION)

xliff-import: setup
	@if [ -z "$(FILES)" ]; then echo 'usage: make xliff-import FILES="build/xliff/fr/*.xlf"' >&2; exit 2; fi
	$(CLI) xliff import $(FILES)

# The bilingual review edition for revisers (never on the site): build/review/<LANG>/<doc>.html and .pdf.
.PHONY: review
review: setup
	@if [ "$(origin LANG)" != "command line" ]; then \
	  echo "usage: make review LANG=xx [DOC=slug]   (the translation's language, e.g. fr or ar)" >&2; exit 2; fi
	$(CLI) review --lang $(LANG) $(if $(DOC),--doc $(DOC))

# A benchmark, not a test: paired runs (medians) of the shipped project's clean build against
# WeasyPrint alone on the same HTML, the no-op build, -j 2 against -j 1 beside WeasyPrint in two
# processes against one; then a ~50- and a ~500-page report and update against msgmerge.
# Table and build/bench/results.json. Some minutes on 2 cores (BENCH_FLAGS="--units" skips the reports).
BENCH_FLAGS ?=
bench: setup
	$(CLI) bench $(BENCH_FLAGS)

# The archive benchmark (manual, long: an hour or more on 2 cores): 50 and 200 generated documents
# in six languages (300 and 1,200 PDFs), PDFs per second, peak memory of the parent and a worker,
# no-op, rebuild after one template and one catalogue change. SCALE_FLAGS="--documents 20" for a taste.
SCALE_FLAGS ?=
.PHONY: bench-scale
bench-scale: setup
	$(PY) -m polypress.bench.scale $(SCALE_FLAGS)

# PNG previews of pages 1 and 2 of every PDF (README pictures), from the built site:
# build/thumbnails/<lang>-<doc>-p<N>.png. Regenerated, never committed by hand.
THUMB_DPI ?= 50
thumbnails: build
	@mkdir -p build/thumbnails
	@for pdf in build/site/*/*.pdf; do \
	  lang=$$(basename $$(dirname $$pdf)); doc=$$(basename $$pdf .pdf); \
	  pages=$$(pdfinfo $$pdf | awk '/^Pages:/ {print $$2}'); \
	  for n in 1 2; do \
	    [ $$n -le $$pages ] || continue; \
	    pdftoppm -png -r $(THUMB_DPI) -f $$n -l $$n -singlefile $$pdf build/thumbnails/$$lang-$$doc-p$$n; \
	  done; \
	done
	@ls build/thumbnails/*.png | wc -l | xargs printf 'wrote %s thumbnails in build/thumbnails\n'

clean:
	rm -rf build

# The site on http://127.0.0.1:8000/ for a quick look (PORT=8001 make serve for another port).
.PHONY: serve screenshots
PORT ?= 8000
serve: build
	$(CLI) serve --port $(PORT)

# Headless Chromium screenshots of every landing page (desktop; phone for ar and zh) and of the
# Arabic resolution, for review: build/screenshots/*.png. Runs the browser test that takes them.
screenshots: setup
	POLYPRESS_SCREENSHOTS=$(CURDIR)/build/screenshots $(PY) -m pytest -q tests/site/test_browser.py -k screenshots
