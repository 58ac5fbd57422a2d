#!/usr/bin/env bash
# Install, initialise (first run: demo data too) and serve eloan at http://127.0.0.1:5000
# on its embedded default database (SQLite under instance/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt

export FLASK_APP=wsgi
# The demo runs on a fixed date inside policy TZ-2023-9 (2023-11-30 … 2025-11-29) so every feature can be
# tried; set ELOAN_TODAY yourself to change it. Production never sets it.
export ELOAN_TODAY="${ELOAN_TODAY:-2025-10-15}"
echo "==> 演示日期 / demo date: $ELOAN_TODAY"
.venv/bin/flask eloan init
.venv/bin/flask eloan seed-demo
if [ -f instance/demo-credentials.txt ]; then
  echo "==> 演示用户 / demo users (username, password):"
  cat instance/demo-credentials.txt
fi
echo "==> http://127.0.0.1:${PORT:-5000}"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
