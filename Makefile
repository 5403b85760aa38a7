# The two commands that matter: `make demo` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=
PYTEST_ARGS ?=

.PHONY: demo demo-production test translations translations-update lint fmt bench bench-transports bench-profile fuzz clean-var constraints

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> installing into $(VENV) (first run takes a minute or two)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# The portal's languages: the catalogues (.po, in git) compiled for the running portal (.mo, build output).
TRANSLATIONS := services/portal/translations
translations: $(STAMP)
	@$(BIN)/pybabel compile -d $(TRANSLATIONS) > /dev/null

# After adding or changing a string in the portal: re-extract and merge into ro/ru/en (then translate the new ones).
translations-update: $(STAMP)
	$(BIN)/pybabel extract -F $(TRANSLATIONS)/../babel.cfg -k lazy_gettext --no-location --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)

demo: $(STAMP) translations
	$(BIN)/sscp demo $(ARGS)

test: $(STAMP) translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1) || echo "!!! wrk is missing and could not be apt-installed (run: apt-get install -y wrk); the api benchmark will be skipped"
	$(BIN)/python -m bench $(ARGS)

bench-transports: $(STAMP)
	$(BIN)/python -m bench.transports

bench-profile: $(STAMP)
	$(BIN)/python -m bench --reps 1 --profile bench/results/profiles $(ARGS)

# Long API fuzzing: every operation x role with FUZZ_EXAMPLES examples, fresh randomness, shrinking.
FUZZ_EXAMPLES ?= 200
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/security/test_api_fuzz.py -q -p no:cacheprovider -rx --timeout=0

clean-var:
	rm -rf var

# Re-resolve the pinned set after changing pyproject.toml ranges.
constraints: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

# The production shape without Docker, on this machine's PostgreSQL and RabbitMQ (see README "Operating it").
demo-production: $(STAMP) translations
	$(BIN)/sscp demo --production $(ARGS)
