# Two commands: `make lab` opens the course, `make test` runs every test.
# Two more editions of the same notebooks: `make app CHAPTER=05` (classroom app, Voila) and `make site`
# (the web edition, a static site in build/site/). All create .venv from requirements.txt first if it is
# missing or out of date.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab refuses to run as root without this flag (containers, CI); token auth stays on.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# `make app CHAPTER=05` (a number, a slug such as `cost`, or empty for the index); PORT=9000 to choose the port.
CHAPTER ?=
PORT ?=

.PHONY: lab app site test benchmark assignments student-edition venv clean classroom classroom-proxy classroom-benchmark

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11, 5) else "Python 3.11.5 or newer is needed (a pinned package, soupsieve, requires it); set PYTHON=python3.12 (or newer)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_index.ipynb

# Classroom app mode: one chapter through Voila, code hidden, on 127.0.0.1 with a token (Ctrl-C stops it).
app: $(STAMP)
	$(BIN)/python -m helpers.editions.app $(CHAPTER) $(if $(PORT),--port $(PORT),)

# The web edition: every notebook executed and rendered to a static site, build/site/index.html (offline).
site: $(STAMP)
	$(BIN)/python -m helpers.editions.site

# The classroom hub's test needs its proxy (npm): installed here when npm exists, so `make test` alone sets up
# everything it tests; without npm that one test is skipped with a hint (a failure under CI=true).
test: $(STAMP)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory classroom-proxy; \
	else echo "npm not found: the classroom hub's test will be skipped (apt-get install nodejs npm)"; fi
	$(BIN)/python -m pytest

# Not a test: prints per-notebook and per-panel timings (README, "Performance").
benchmark: $(STAMP)
	$(BIN)/python -m tests.browser.benchmark

# For teachers (README, "For teachers"): output in build/ (git-ignored); helpers/assignments.py.
# An nbgrader course: build/nbgrader/source/NN_slug/ (with solutions, hidden tests) and release/NN_slug/.
assignments: $(STAMP)
	$(BIN)/python -m helpers.assignments nbgrader

# Copies of every notebook without solutions: build/student/.
student-edition: $(STAMP)
	$(BIN)/python -m helpers.assignments student
# A JupyterHub for a class on this machine (README, "Running it for a class"):
#   make classroom STUDENTS=alice,bob,chen      or      make classroom ROSTER=class.txt
# CLASSROOM_ARGS passes more options (python -m helpers.classroom --help lists them).
PROXY := helpers/classroom/node_modules/.bin/configurable-http-proxy
STUDENTS ?=
ROSTER ?=
CLASSROOM_ARGS ?=

classroom-proxy: $(PROXY)

$(PROXY): helpers/classroom/package.json helpers/classroom/package-lock.json
	@command -v npm >/dev/null || { echo "The hub's proxy needs Node.js and npm: apt-get install nodejs npm"; exit 1; }
	npm ci --prefix helpers/classroom --no-audit --no-fund --loglevel=error
	touch $(PROXY)

classroom: $(STAMP) $(PROXY)
	$(BIN)/python -m helpers.classroom $(if $(STUDENTS),--students $(STUDENTS)) $(if $(ROSTER),--roster $(ROSTER)) $(CLASSROOM_ARGS)

# Not a test: 1, 5, 10, 20 simulated students on this machine (README, "A class on one server"); about 10 minutes.
classroom-benchmark: $(STAMP) $(PROXY)
	$(BIN)/python -m tests.classroom.loadtest

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts build
