#!/usr/bin/env bash
# Install and run the whole test suite. With ELOAN_TEST_DATABASE_URL set (a PostgreSQL URL) the
# database tests run against it; otherwise against a temporary SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest -q "$@"
