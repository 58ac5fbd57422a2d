#!/usr/bin/env bash
# Install, initialise (first run: demo data too) and serve eloan at http://127.0.0.1:5000
# on its embedded default database (SQLite under instance/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt

export FLASK_APP=wsgi
.venv/bin/flask eloan init
.venv/bin/flask eloan seed-demo
if [ -f instance/demo-credentials.txt ]; then
  echo "==> 演示用户 / demo users (username, password):"
  cat instance/demo-credentials.txt
fi
echo "==> http://127.0.0.1:${PORT:-5000}"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
