"""The one way the suite runs ``../shared/tools/check_decree30.py`` on a generated document.

The checker lives beside the checkout (``../shared``); a user's clone has none, so every test
that needs it skips cleanly there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHECKER = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "check_decree30.py"
needs_checker = pytest.mark.skipif(not CHECKER.exists(), reason=f"Decree 30 checker not found at {CHECKER}")


def run_checker(content: bytes, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """The checker's verdict on ``content`` (a DOCX), flags as on its command line."""
    if not CHECKER.exists():
        pytest.skip(f"Decree 30 checker not found at {CHECKER}")
    target = tmp_path / "van-ban.docx"
    target.write_bytes(content)
    result = subprocess.run(
        [sys.executable, str(CHECKER), str(target), *flags], capture_output=True, text=True, check=False
    )
    assert "Decree 30 rules pass" in result.stdout, result.stdout + result.stderr
    return result


def decree30_failures(content: bytes, tmp_path: Path, *flags: str) -> list[str]:
    """The rules ``content`` breaks: an empty list when it passes."""
    result = run_checker(content, tmp_path, *flags)
    return [line for line in result.stdout.splitlines() if line.startswith("FAIL")]


def assert_passes_decree30(content: bytes, tmp_path: Path, *, form: bool = False) -> None:
    """Every rule holds; ``form`` for a form filed by a person (no number, no recipients)."""
    result = run_checker(content, tmp_path, *(["--form"] if form else []))
    assert result.returncode == 0, result.stdout
