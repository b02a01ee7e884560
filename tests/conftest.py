"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from spacy.language import Language

from eventwire.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run ``eventwire ARGS...`` in this process, as the console script does; return its exit code."""
    from eventwire.cli import main

    def run(*args: str) -> int:
        monkeypatch.setattr(sys, "argv", ["eventwire", *args])
        try:
            main()
        except SystemExit as exc:
            return int(exc.code or 0)
        return 0

    return run
