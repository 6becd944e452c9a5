"""Regenerate docs/screenshots/: the browser walks, at 375 px and 1280 px, saving their named pages.

    .venv/bin/python scripts/screenshots.py [extra pytest arguments]

The pictures are taken by the `shoot` fixture of tests/browser/conftest.py, which saves only when
KAOWU_SCREENSHOTS is set; a plain test run leaves docs/ alone.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    os.chdir(ROOT)
    os.environ["KAOWU_SCREENSHOTS"] = "1"
    sys.exit(pytest.main(["-q", "-m", "browser", "tests/browser", *sys.argv[1:]]))
