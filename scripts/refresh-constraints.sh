#!/usr/bin/env bash
# Move constraints.txt to the newest releases pyproject.toml allows, only if the whole test
# suite passes with them: a throwaway environment (.venv-refresh) takes the unpinned install,
# runs the suite, and its versions replace constraints.txt only on success.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
rm -rf .venv-refresh
"$PYTHON" -m venv .venv-refresh
.venv-refresh/bin/python -m pip install --quiet --upgrade pip
.venv-refresh/bin/python -m pip install --quiet -e '.[dev]'
export POPLITEAL_TEST_POSTGRES_URL=${POPLITEAL_TEST_POSTGRES_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432/test}
.venv-refresh/bin/python -m pytest -q -p no:cacheprovider "$@"
{
  echo "# Versions the whole test suite last passed with ($(.venv-refresh/bin/python -V), $(uname -sm), $(date -u +%F))."
  echo "# scripts/setup.sh installs within them so a clean clone gets what was tested; a package"
  echo "# this platform does not need is ignored. Refresh: scripts/refresh-constraints.sh."
  .venv-refresh/bin/python -m pip freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)=='
} > constraints.txt
rm -rf .venv-refresh
echo "constraints.txt refreshed; review 'git diff constraints.txt' and commit it"
