#!/usr/bin/env bash
# Sets up and runs the whole test suite: ruff, lint-imports, the migrations check and pytest (unit and browser
# tests). Extra arguments go to pytest:
#
#   bash scripts/test.sh                       # everything, on the embedded default (SQLite)
#   bash scripts/test.sh -m "not browser"      # without the browser
#   bash scripts/test.sh tests/browser -x      # only the browser tests
#   bash scripts/test.sh -n 2 --durations=15   # on both cores (pytest-xdist), the 15 slowest printed (CI)
#   KAOWU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaowu bash scripts/test.sh   # on PostgreSQL
#
# Every step runs even when an earlier one fails; the exit status is non-zero if any failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv test
# Browser tests drive Debian's Chromium (Playwright never downloads a browser here); the font
# makes Chinese pages and PDFs readable in screenshots.
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-wqy-zenhei || warn "no /usr/bin/chromium: the browser tests will be skipped"
else
  apt_install fonts-wqy-zenhei || warn "fonts-wqy-zenhei is not installed: Chinese text renders as boxes in screenshots"
fi

failed=()
say "ruff check ."
"$VENV/bin/ruff" check . || failed+=("ruff")
say "lint-imports (the layers and contracts of [tool.importlinter] in pyproject.toml)"
"$VENV/bin/lint-imports" || failed+=("lint-imports")
say "manage.py makemigrations --check --dry-run"
"$VENV/bin/python" manage.py makemigrations --check --dry-run || failed+=("makemigrations --check")
say "pytest $*"
"$VENV/bin/pytest" "$@" || failed+=("pytest")

if [ ${#failed[@]} -gt 0 ]; then
  echo
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo
echo "All checks passed: ruff, lint-imports, migrations, pytest."
