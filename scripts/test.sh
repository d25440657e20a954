#!/usr/bin/env bash
# Set up and run the whole test suite. PostgreSQL tests use POPLITEAL_TEST_POSTGRES_URL
# (default: the local server); with CI=true they fail rather than skip when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
export POPLITEAL_TEST_POSTGRES_URL=${POPLITEAL_TEST_POSTGRES_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432/test}
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
