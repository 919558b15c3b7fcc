# Tingjian: the two commands of the README, and a few helpers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint messages check-deploy clean bench seed-scale

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tingjian needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# Start web, Celery worker and Celery beat together (Procfile, run by honcho).
run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Tingjian is starting at http://localhost:8000/  (demo logins above; password tingjian-demo)"
	@echo ""
	$(VENV)/bin/honcho start

# The whole suite. Browser tests run when Chromium is found (/usr/bin/chromium or CHROMIUM_PATH);
# otherwise they are skipped with a printed line, except with CI=true, where a missing browser fails.
test: install
	$(VENV)/bin/pytest

# The gates CI runs before the tests (.ci/run): ruff, formatting, no missing migration, the layers.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) .ci/lint_imports.py

messages: install
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	  DJANGO_ALLOWED_HOSTS=tingjian.example.com SITE_URL=https://tingjian.example.com \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Issue 10: the scale benchmark on PostgreSQL (not part of CI). Seeds a clean database first
# (BENCH_SIZE=large|medium|small, default large), prints one table and writes bench/RESULTS.md.
bench: install
	@case "$$DATABASE_URL" in postgres://*|postgresql://*|pgsql://*) ;; \
	  *) echo "make bench needs PostgreSQL: DATABASE_URL=postgres://user@host:5432/dbname"; exit 2;; esac
	$(PY) -m bench.run

seed-scale: migrate
	$(PY) manage.py seed_scale --size $${BENCH_SIZE:-large}

clean:
	rm -rf var/celery var/cache staticfiles
