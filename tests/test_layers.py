"""The layers' import contracts ([tool.importlinter] in pyproject.toml) hold, so CI checks them as `make lint` does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_every_import_contract_of_the_layers_is_kept():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    # lint-imports names each broken contract and the import chains that break it: show them on failure.
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_flows_holds_prefect_flows_only_and_the_demo_lives_beside_it():
    assert not (ROOT / "flows" / "demo").exists()
    assert (ROOT / "demo" / "main.py").is_file()
