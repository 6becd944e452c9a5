#!/usr/bin/env bash
# Sets up and runs the site with demo data at http://127.0.0.1:8000 (embedded mode: SQLite under
# ./var/, local cache, in-process jobs, SMS and e-mail in the dev inbox). Safe to run again: the
# virtualenv, packages and migrations are only brought up to date, and seed_demo is idempotent.
#
#   bash scripts/demo.sh                 # KAOWU_* variables in the environment still apply (README)
#   KAOWU_DEMO_PORT=8104 bash scripts/demo.sh
#   # 扫码签字 with a real phone on the same network (192.168.1.20 being this machine's address):
#   KAOWU_DEMO_BIND=0.0.0.0 KAOWU_ALLOWED_HOSTS=192.168.1.20,127.0.0.1 \
#     KAOWU_PUBLIC_BASE_URL=http://192.168.1.20:8000 bash scripts/demo.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv
# The font Chinese PDFs (准考证, 登记表) are drawn with.
apt_install fonts-wqy-zenhei || warn "fonts-wqy-zenhei is not installed: generated PDFs will lack Chinese glyphs"

say "Migrating the database"
"$VENV/bin/python" manage.py migrate --noinput
say "Seeding the demo data (the logins are printed below)"
"$VENV/bin/python" manage.py seed_demo

port=${KAOWU_DEMO_PORT:-8000}
bind=${KAOWU_DEMO_BIND:-127.0.0.1}
say "kaowu runs at http://127.0.0.1:$port/  (dev inbox: http://127.0.0.1:$port/dev/inbox/; Ctrl-C stops it)"
exec "$VENV/bin/python" manage.py runserver "$bind:$port"
