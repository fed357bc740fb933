"""What the README and CI's script say about how the project is tested matches what they do."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_sets_ci_true_itself_before_running_the_tests():
    script = (ROOT / ".ci" / "run").read_text()
    exported = script.find("export CI=true")
    assert exported != -1, ".ci/run must not rely on its caller to set CI=true"
    assert exported < script.find("python -m pytest")


def test_the_readme_claims_only_the_python_version_ci_runs():
    readme = " ".join((ROOT / "README.md").read_text().split())  # line breaks as spaces
    assert not re.search(r"3\.11 and 3\.12 are tested", readme)
    assert f"`python3` ({sys.version_info.major}.{sys.version_info.minor})" in readme


def test_the_readme_says_why_ci_installs_torch():
    readme = " ".join((ROOT / "README.md").read_text().split())  # line breaks as spaces
    assert "torch" in readme and "PyTorch snippet" in readme
    assert "torch" in (ROOT / ".ci" / "run").read_text()


def test_the_readme_states_the_link_rules_the_code_follows():
    readme = " ".join((ROOT / "README.md").read_text().split())  # line breaks as spaces
    assert "the last valid occurrence wins" in readme  # ui/state.check_query_params
    assert "ASCII digits" in readme  # ui/state.parse_number
