"""Reading a listing sentence by sentence (with the per-sentence stores) gives exactly what
reading it whole gives: the words, the frames, the phrase matches, the negations and the
findings. The stores are a speed-up only."""

from __future__ import annotations

import random

import pytest

from catalogue.core.claims import scope, tokens
from catalogue.core.claims.check import _compiled, check_listing
from catalogue.core.claims.text import matching_text
from tests.test_claims import CASES
from tests.test_claims_messages import AREAS, BANDS, RULES

_rng = random.Random(10)
# single cases, and cases run together so questions, answers and fragments meet across them
TEXTS = [c["description"] for c in CASES] + [
    " ".join(c["description"] for c in _rng.sample(CASES, 4)) for _ in range(400)
]
RECORDS = [[660.0, 850.0], [850.0], [630.0, 660.0]]


def _whole(text: str) -> tokens.Tokens:
    whole, _ = tokens._words(matching_text(text), text)
    return tokens._finish(whole)


def _twice(text: str) -> tokens.Tokens:
    """Tokens as a repeated listing gets them: its sentences are known by then."""
    low = matching_text(text)
    tokens.tokenize(low, text)
    tokens.tokenize(low, text)
    return tokens.tokenize(low, text)


@pytest.mark.parametrize("chunk", range(4))
def test_sentence_by_sentence_reads_like_whole(chunk: int) -> None:
    comp = _compiled(RULES)
    pieced_listings = 0
    for text in TEXTS[chunk::4]:
        whole, pieced = _whole(text), _twice(text)
        pieced_listings += len(pieced.pieces) > 1
        for name in ("words", "starts", "ends", "edge", "last_edge", "negator", "blocks"):
            assert getattr(pieced, name) == getattr(whole, name), (name, text)
        assert scope.negated_words(pieced, set()) == scope._negated(whole, set()), text
        low = matching_text(text)
        for waves in RECORDS:
            plan = comp.plan(*comp.record(waves, BANDS))
            hits = plan.frames.occurrences(whole)
            assert sorted(plan.frames.find(pieced)) == sorted(plan.frames.match(whole, hits))
            assert plan.scanner.find_pieces(low, pieced.pieces) == plan.scanner.find(low)
        reader = next(r for r in comp.readers if r is not None)
        assert reader.read_pieces(low, pieced.pieces) == reader.read(low), text
    assert pieced_listings >= 100  # the sentence-by-sentence path was the one taken


def test_findings_are_the_same_cold_and_warm() -> None:
    for case in CASES[::3]:
        args = (case["description"], case["wavelengths_nm"], [AREAS[a] for a in case["areas"]])
        tokens._pieces.clear()
        tokens._seen.clear()
        cold = check_listing(*args, RULES, BANDS)
        warm = [check_listing(*args, RULES, BANDS) for _ in range(3)][-1]
        assert warm == cold, case["id"]
