"""The REST API and offline dashboard (``eventwire serve``)."""

from eventwire.api.app import ApiConfig, create_app

__all__ = ["ApiConfig", "create_app"]
