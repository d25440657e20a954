"""The README's claims that can be checked are checked: its opening commands, CI, and the
worked examples table (regenerated and compared), so the documentation cannot rot."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert first_block is not None and README.index("```bash") < 40
    lines = [ln for ln in first_block.group(1).splitlines() if ln.strip()]
    assert lines[0].startswith("./scripts/run.sh") and lines[1].startswith("./scripts/test.sh")
    for script in ("scripts/run.sh", "scripts/test.sh"):
        assert (ROOT / script).exists()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test.sh" in ci


def test_worked_examples_table_matches_the_program() -> None:
    spec = importlib.util.spec_from_file_location("worked", ROOT / "scripts" / "worked_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    start, end = "<!-- worked-examples:start -->\n", "<!-- worked-examples:end -->"
    shown = README.split(start)[1].split(end)[0]
    stale = "README worked examples are stale: run scripts/worked_examples.py"
    assert shown == module.table(), stale
