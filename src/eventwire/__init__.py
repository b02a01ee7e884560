"""eventwire: news in, events out (who did what to whom, where, when, and who said so)."""

__version__ = "0.1.0"
