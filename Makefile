# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= sqlite:///demo.db

.PHONY: install install-test demo test lint bench seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	rm -f demo.db
	$(BIN)/eventwire ingest examples/ --db $(DEMO_DB)
	$(BIN)/eventwire events --db $(DEMO_DB)

test: install-test
	@command -v chromium >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; else echo "chromium missing and not root: the dashboard browser test will be skipped and say so"; fi; }
	$(BIN)/ruff check src tests $(wildcard benchmarks scripts)
	$(BIN)/python -m pytest -q

# PostgreSQL store figures need a server: BENCH_PG=postgresql://user:pass@host/db make bench
bench: install-test
	$(BIN)/python benchmarks/bench_pipeline.py $(if $(BENCH_PG),--pg $(BENCH_PG))
	$(BIN)/python benchmarks/bench_geo.py --out benchmarks/results/geo.json
	$(BIN)/python benchmarks/load_api.py

seed: install
	$(BIN)/python ../shared/tools/check_seed.py

clean:
	rm -rf $(VENV) demo.db eventwire.db .pytest_cache .ruff_cache
