#!/usr/bin/env bash
# Set up Popliteal on a fresh machine: a virtual environment with the package and its
# development tools, and (for the browser tests) Debian's chromium. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# constraints.txt holds the versions the test suite last passed with, so a clean clone installs
# what was tested; POPLITEAL_UNPINNED=1 takes the newest releases pyproject.toml allows instead.
if [[ "${POPLITEAL_UNPINNED:-}" == "1" ]]; then
  .venv/bin/python -m pip install --quiet -e '.[dev]'
else
  .venv/bin/python -m pip install --quiet -c constraints.txt -e '.[dev]'
fi
if [[ "${1:-}" == "--with-browser" ]] && ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "note: chromium is not installed and this user cannot apt-get it; browser tests will skip" >&2
  fi
fi
# axe-core for the accessibility checks of the browser tests: fetched here, never at test time.
if [[ "${1:-}" == "--with-browser" ]] && ! grep -qs '"version": "4.14.1"' .cache/axe/node_modules/axe-core/package.json; then
  if command -v npm >/dev/null 2>&1; then
    npm install --silent --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4.14.1 >/dev/null
  else
    echo "note: npm is missing, so axe-core is not installed; browser tests will skip" >&2
  fi
fi
