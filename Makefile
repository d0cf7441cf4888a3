# The README's two commands. Both install what they need into .venv first.
#   make demo   install the portal with the bundled plugins (the four regions' workflows,
#               XLSX and PDF) and serve it with demo data (PORT=5000, HOST=127.0.0.1)
#   make test   install the portal with its test tools, start the services, run every test
# Extra pytest arguments: make test PYTEST_ARGS="-x -k browser"

PYTHON ?= python3
VENV   := .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: demo test

demo: $(VENV)/.installed
	$(VENV)/bin/portal demo --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test
	scripts/ensure-test-services
	$(VENV)/bin/pytest $(PYTEST_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

BUNDLED := -e plugins/fyrbodal -e plugins/skaraborg -e plugins/sjuharad -e plugins/goteborg

# Stamps: pip runs again only when pyproject.toml changes. The demo shows the whole
# product: core with every bundled plugin (`portal demo` enables each regional one in its region).
$(VENV)/.installed: pyproject.toml $(wildcard plugins/*/pyproject.toml) | $(VENV)/bin/python
	$(VENV)/bin/pip install --disable-pip-version-check -e . $(BUNDLED) -e plugins/xlsx -e plugins/pdf
	touch $@

# The bundled plugins too, so that their tests (plugins/*/tests) run with their entry points.
$(VENV)/.installed-test: pyproject.toml $(wildcard plugins/*/pyproject.toml) | $(VENV)/bin/python
	$(VENV)/bin/pip install --disable-pip-version-check -e '.[test]' $(BUNDLED) \
		-e 'plugins/xlsx[test]' -e 'plugins/pdf[test]'
	touch $@ $(VENV)/.installed

# The benchmarks (bench/README.md): matching and the 3R report against their bare
# queries (regional and national data built once, in PostgreSQL databases of their own
# and an SQLite file in bench/data/), the pages against a minimal endpoint, and the
# 20,000-request mix, with the test tools installed (the benchmarks share portal.testing's
# database helpers). Extra arguments for matching: make bench BENCH_ARGS="--scales regional"
.PHONY: bench
bench: $(VENV)/.installed-test
	scripts/ensure-test-services
	$(VENV)/bin/python -m bench.matching $(BENCH_ARGS)
	$(VENV)/bin/python -m bench.reports
	$(VENV)/bin/python -m bench.pages
	$(VENV)/bin/python -m bench.mix
