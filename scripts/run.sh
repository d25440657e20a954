#!/usr/bin/env bash
# Set up and run the main job: the web app and API on SQLite (var/popliteal.db), at the
# address it prints. Pass --host/--port to change where it listens.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export POPLITEAL_ENV=${POPLITEAL_ENV:-development}
exec .venv/bin/popliteal serve --host 127.0.0.1 --port 8000 "$@"
