# make run  — venv, packages, database, catalogs and demo data; serves http://127.0.0.1:8000 (SQLite)
# make test — the test suite (SQLite unless DATABASE_URL is set)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
DEV_ENV := DEBUG=1

.PHONY: run test setup system-packages bench clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP) system-packages

# Fonts for the PDFs, poppler for their tests, Chromium for the browser tests, nginx for the
# slow-client test (the front of deploy/nginx.conf) (Debian).
system-packages:
	@missing=""; \
	for pkg in fonts-noto-cjk fonts-wqy-microhei poppler-utils chromium; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The worker (`db_worker`: PDFs and download files after publication) runs beside the web
# server and stops with it.
run: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo
	$(DEV_ENV) sh -c 'trap "kill 0" INT TERM EXIT; $(PY) manage.py db_worker --interval 1 & $(PY) manage.py runserver 127.0.0.1:8000'


# Two pytest processes side by side: the browser tests (mostly waiting on Chromium and their
# live server) and all the others, each with its own test database (DATABASE_URL's name +
# "_browser" for the browser tests; SQLite tests use memory). The browser tests' report is
# printed after the others'; the target fails if either fails.
test: setup
	@log=$$(mktemp); \
	( if [ -n "$$DATABASE_URL" ]; then export DATABASE_URL="$${DATABASE_URL}_browser"; fi; \
	  $(VENV)/bin/pytest -q tests/browser >"$$log" 2>&1 ) & browser=$$!; \
	$(VENV)/bin/pytest -q --ignore=tests/browser; others=$$?; \
	wait $$browser; browsers=$$?; \
	echo "== tests/browser"; cat "$$log"; rm -f "$$log"; \
	test $$others -eq 0 -a $$browsers -eq 0

bench: setup
	$(DEV_ENV) $(PY) bench/import_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
