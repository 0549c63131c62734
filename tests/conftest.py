"""Shared fixtures: a scratch copy of the content store that a test may break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from petechiae_edu import citations, content, paths


@pytest.fixture
def scratch_data(tmp_path: Path) -> Path:
    """A copy of data/ the test may edit; the caches are cleared before and after."""
    folder = tmp_path / "data"
    shutil.copytree(paths.data_dir(), folder)
    content.clear_cache()
    yield folder
    content.clear_cache()


@pytest.fixture
def fresh_citations():
    """An empty citation registry for the test, left empty after it."""
    citations.reset()
    yield
    citations.reset()
