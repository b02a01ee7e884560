"""The app as uvicorn builds it, in each worker process: the store URL comes from the environment."""

from __future__ import annotations

import os

from fastapi import FastAPI

from eventwire.api.app import ApiConfig, create_app
from eventwire.config import load_settings
from eventwire.store import Store


def app_from_env() -> FastAPI:
    """Open the store named by EVENTWIRE_DB (or the settings file) and build the app over it."""
    settings = load_settings()
    db = os.environ.get("EVENTWIRE_DB", settings.db)
    return create_app(Store.open(db), ApiConfig.from_env(), settings=settings)
