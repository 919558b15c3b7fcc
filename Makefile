# Tingjian: the two commands of the README, and a few helpers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run dev test install migrate demo lint messages check-deploy backup restore clean bench seed-scale

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

# What an office leaves running: embedded settings (DEBUG off, a secret key generated under var/),
# gunicorn on 127.0.0.1:8000 (TINGJIAN_BIND to change), Celery worker and beat (Procfile, honcho).
# The demo company is loaded only into an empty database.
run: export DJANGO_SETTINGS_MODULE = config.settings.embedded
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Tingjian is starting at http://$${TINGJIAN_BIND:-127.0.0.1:8000}/"
	@echo ""
	$(VENV)/bin/honcho start

# For developers: runserver with DEBUG on (config.settings.local), worker and beat (Procfile.dev).
dev: export DJANGO_SETTINGS_MODULE = config.settings.local
dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(VENV)/bin/honcho -f Procfile.dev start

# A consistent copy of the database (SQLite online backup, or pg_dump) and the media files under
# var/backups/ (BACKUP_DIR to change); `make restore BACKUP=var/backups/<name>` puts one back.
BACKUP_DIR ?= var/backups
backup: install
	$(PY) manage.py backup --output-dir "$(BACKUP_DIR)"

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<name>"; exit 2; }
	$(PY) manage.py restore "$(BACKUP)" --noinput

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
