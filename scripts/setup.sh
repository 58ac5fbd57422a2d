#!/usr/bin/env bash
# Installs what eloan needs on a Debian 12 machine with Python 3.11: Debian packages (PDF rendering,
# a CJK font, the PostgreSQL client), then a virtualenv in .venv with the pinned requirements.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUIREMENTS="${1:-requirements.txt}"
APT_PACKAGES=(
  python3-venv              # python3 -m venv on Debian
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint
  fonts-arphic-uming        # 宋体-like CJK face for the official forms (fast to render: shared/FACTS.md)
  fonts-wqy-microhei        # CJK sans for screens
  fonts-dejavu-core         # ☑/☐ on Attachment 2 (the CJK faces lack them)
  poppler-utils             # pdftoppm, to look at rendered forms
  postgresql-client         # pg_dump / pg_restore for `eloan backup` and `eloan restore` on PostgreSQL
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi

# Reinstall only when the requirement files change.
stamp=.venv/.requirements-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$REQUIREMENTS")
if [ ! -f "$stamp" ]; then
  echo "==> pip install -r $REQUIREMENTS"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
  touch "$stamp"
fi
