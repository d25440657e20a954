#!/usr/bin/env bash
# Set up and run the main job: the CLI assessing a worked example (the web app replaces this
# once it lands).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/popliteal assess --age 54 --sex female \
  --text "Soft lump behind my right knee for 3 months, tight when I squat or straighten the leg. No calf swelling, no fever." "$@"
