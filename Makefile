# En väg in — build, run and test. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV_HOME ?= $(HOME)/.cache/en-vag-in
PY310 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3.10) $(shell command -v python3.10 2>/dev/null))
PY311 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.11*/bin/python3.11) $(shell command -v python3.11 2>/dev/null))
RASA_LOCK := requirements/rasa.lock
APP_LOCK := requirements/app.lock
RASA_ENV ?= $(VENV_HOME)/rasa-$(shell cat $(RASA_LOCK) | sha256sum | cut -c1-12)
APP_ENV ?= $(VENV_HOME)/app-$(shell cat $(APP_LOCK) | sha256sum | cut -c1-12)
RASA := $(RASA_ENV)/bin/rasa
PY := $(APP_ENV)/bin/python
MODEL := models/current.tar.gz
TRAIN_INPUTS = config.yml domain.yml $(sort $(wildcard nlu/data/*.yml nlu/data/generated/*.yml bot/data/*.yml))
CATALOGUE ?=
CASES ?= ../shared/eval/dev.csv
EXT_OOS ?=

export RASA_ENV APP_ENV
export PYTHONPATH := $(CURDIR)
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:5055/webhook
export RASA_TRACKER_DB ?= $(CURDIR)/var/rasa_tracker.db
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
# One BLAS thread per process: numpy's own thread pool, on two cores shared by four
# servers, made the sentence embedding's tail 2.5x longer (interpretation p99 113 -> 43 ms
# on dev, docs/benchmarks.md "Latency"). Set before numpy loads, so here, not in code.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: help setup run run-production test lint validate train eval eval-dialogue tune catalogue migrate clean bench bench-turns bench-growth warm

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(RASA_ENV)/.ok $(APP_ENV)/.ok  ## build both pinned environments (only what is missing)

# The environment path holds a hash of the lock file, so no timestamp dependency is needed.
$(RASA_ENV)/.ok: | $(RASA_LOCK)
	@test -n "$(PY310)" || { echo "Python 3.10 is needed for Rasa 3.6 (see README: pyenv install 3.10)"; exit 1; }
	@echo "Building the Rasa environment in $(RASA_ENV)"
	rm -rf $(RASA_ENV) && $(PY310) -m venv $(RASA_ENV)
	$(RASA_ENV)/bin/pip install -q --disable-pip-version-check --upgrade pip==24.2
	$(RASA_ENV)/bin/pip install -q --disable-pip-version-check -r $(RASA_LOCK)
	touch $@

$(APP_ENV)/.ok: | $(APP_LOCK)
	@test -n "$(PY311)" || { echo "Python 3.11 is needed for the app environment"; exit 1; }
	@echo "Building the app environment in $(APP_ENV)"
	rm -rf $(APP_ENV) && $(PY311) -m venv $(APP_ENV)
	$(APP_ENV)/bin/pip install -q --disable-pip-version-check --upgrade pip==24.2
	$(APP_ENV)/bin/pip install -q --disable-pip-version-check -r $(APP_LOCK)
	touch $@

migrate: setup  ## create or upgrade the database schema (Alembic)
	$(PY) -m servicedesk migrate

catalogue: setup migrate  ## sync the default catalogue and departments, regenerate NLU data
	$(PY) -m catalogue_sync data/tjanstekatalog.csv --departments data/forvaltningar.csv --embed

train: setup  ## train the Rasa model when its inputs changed
	@mkdir -p models
	@hash=$$(cat $(TRAIN_INPUTS) | sha256sum | cut -c1-16); \
	if [ -f $(MODEL) ] && [ "$$(cat models/.inputs 2>/dev/null)" = "$$hash" ]; then \
	  echo "Model is up to date ($$hash)"; \
	else \
	  echo "Training the Rasa model ($$hash)"; \
	  $(RASA) train --config config.yml --domain domain.yml --data nlu/data bot/data \
	    --out models --fixed-model-name current --quiet && echo $$hash > models/.inputs; \
	fi

validate: setup  ## rasa data validate
	$(RASA) data validate --config config.yml --domain domain.yml --data nlu/data bot/data --fail-on-warnings

run: catalogue train warm  ## install, sync, train and start Rasa, actions and the desk (Ctrl-C stops all)
	@mkdir -p var/log
	@$(PY) -m servicedesk init-secrets --env-file .env
	@$(PY) -m servicedesk ensure-admin
	$(APP_ENV)/bin/honcho start -f Procfile

run-production: setup  ## HAProxy, 2 desks, 2 Rasa, 2 action servers on PostgreSQL + Redis (README "Production profile")
	@mkdir -p var/log
	deploy/run-production.sh

warm: catalogue  ## fill the embedding cache (catalogue, training examples, semantic heads)
	$(PY) -m nlu.warm

lint: setup  ## ruff and mypy
	$(APP_ENV)/bin/ruff check .
	$(APP_ENV)/bin/ruff format --check .
	$(APP_ENV)/bin/mypy servicedesk nlu catalogue_sync bot actions deploy

test: setup lint catalogue train validate warm  ## every test: unit, integration, Rasa stories, end to end
	$(PY) -m pytest -q -p no:cacheprovider
	$(RASA) test core --model $(MODEL) --stories tests/stories \
	  --fail-on-prediction-errors --out var/rasa-test-results

EVAL_DIR := var/eval
eval: setup  ## evaluate on CASES=file.csv [EXT_OOS=file.csv] [CATALOGUE=file.csv] (another catalogue: throw-away DB, retrained model)
ifeq ($(CATALOGUE),)
	@$(MAKE) --no-print-directory train
	$(RASA_ENV)/bin/python -m nlu.evaluate --cases $(CASES) $(if $(EXT_OOS),--ext-oos $(EXT_OOS)) --model $(MODEL) --catalogue-json nlu/data/generated/catalogue.json
else
	rm -rf $(EVAL_DIR) && mkdir -p $(EVAL_DIR)/data
	ENVAGIN_LEND_EXCLUDE=$$($(PY) -c 'import sys; from pathlib import Path; from nlu.evaluate import own_source; print(",".join(own_source(Path(sys.argv[1]))))' $(CASES)) \
	  $(PY) -m catalogue_sync $(CATALOGUE) --database-url sqlite:///$(CURDIR)/$(EVAL_DIR)/eval.db --nlu-dir $(EVAL_DIR)/generated --embed || test $$? -eq 2
	cp nlu/data/*.yml $(EVAL_DIR)/data/ && cp $(EVAL_DIR)/generated/*.yml $(EVAL_DIR)/data/
	$(RASA) train --config config.yml --domain domain.yml --data $(EVAL_DIR)/data bot/data \
	  --out $(EVAL_DIR) --fixed-model-name eval --quiet
	ENVAGIN_CATALOGUE_JSON=$(EVAL_DIR)/generated/catalogue.json $(RASA_ENV)/bin/python -m nlu.evaluate --cases $(CASES) $(if $(EXT_OOS),--ext-oos $(EXT_OOS)) --model $(EVAL_DIR)/eval.tar.gz --catalogue-json $(EVAL_DIR)/generated/catalogue.json
endif

DETAILS_CASES ?= tests/eval/details.csv
.PHONY: details-eval
details-eval: setup  ## first-message details: per-field precision/recall on DETAILS_CASES (aggregates only)
	$(PY) -m nlu.details_eval --cases $(DETAILS_CASES) --catalogue-json nlu/data/generated/catalogue.json

DIALOGUE_CASES ?= tests/dialogue/cases.yml
eval-dialogue: setup catalogue train warm  ## simulated employees against the real stack on CASES (a YAML file); JSON last line
	$(PY) -m tests.dialogue --cases $(if $(filter %.yml %.yaml,$(CASES)),$(CASES),$(DIALOGUE_CASES))

TUNE_CASES ?= tests/eval/tuning_requests.csv tests/eval/tuning_requests_b.csv tests/eval/tuning_requests_c.csv
tune: setup train  ## choose the interpretation thresholds on TUNE_CASES (never a held-out set), 5-fold CV
	$(RASA_ENV)/bin/python -m nlu.tune --cases $(TUNE_CASES) --folds 5

bench: setup  ## peer benchmark on CASES, slow (~35 min; FOLDS=0: no cross-validation, ~12 min): var/bench/results.md
	$(RASA_ENV)/bin/python -m nlu.benchmark --cases $(CASES) --folds $(or $(FOLDS),5) --out var/bench/results.md

bench-turns: setup train  ## turn latency, turns/s and memory next to a bare Rasa rule bot (~10 min); JSON last line
	$(PY) -m tests.bench.turns

bench-growth: setup train  ## turn latency vs conversation length / tracker size, matcher vs catalogue size (~15 min); JSON last line
	$(PY) -m tests.bench.growth $(GROWTH_ARGS)

clean:  ## remove models, databases and logs (keeps the environments)
	rm -rf models var .rasa
