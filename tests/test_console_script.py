"""The `carebridge` console script accepts commands spelled with dashes, as the docs write them."""

import subprocess
import sys


def test_dashed_command_names_run_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "carebridge", "verify-audit", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "usage:" in result.stdout
    assert "verify_audit" in result.stdout
