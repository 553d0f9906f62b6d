# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test fmt bench wheel clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/etom-kg tree 1.1.1
	$(BIN)/etom-kg show 1.1.1.5

test: $(STAMP)
	$(BIN)/python -m pytest -q

fmt: $(STAMP)
	$(BIN)/python -m etom_kg.canonical --write $$(find ontology shapes -name "*.ttl" | sort)

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet matplotlib
	$(BIN)/python bench/run.py

wheel: $(STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) build dist .pytest_cache
