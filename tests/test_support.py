"""The switch that makes CI require ../shared (tests/support.py)."""
from __future__ import annotations

import pytest

from support import REQUIRE_ENV, need_shared


def test_missing_data_skips_without_the_switch(tmp_path, monkeypatch):
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="not found"):
        need_shared(tmp_path / "gone", "the corpus")


def test_missing_data_fails_with_the_switch(tmp_path, monkeypatch):
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="required"):
        need_shared(tmp_path / "gone", "the corpus")


def test_present_data_is_returned(tmp_path, monkeypatch):
    monkeypatch.setenv(REQUIRE_ENV, "1")
    assert need_shared(tmp_path) == tmp_path
