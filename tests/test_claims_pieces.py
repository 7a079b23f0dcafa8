"""Reading a listing sentence by sentence (with the per-sentence stores) gives exactly what
reading it whole gives: the words, the frames, the phrase matches, the negations and the
findings. The stores are a speed-up only."""

from __future__ import annotations

import random

import pytest

from catalogue.core.claims import negation, pieces, tokens
from catalogue.core.claims.check import check_listing
from catalogue.core.claims.compiled import compiled
from catalogue.core.claims.text import matching_text
from tests.claims_support import CASES
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
    comp = compiled(RULES)
    pieced_listings = 0
    for text in TEXTS[chunk::4]:
        whole, pieced = _whole(text), _twice(text)
        pieced_listings += len(pieced.pieces) > 1
        for name in ("words", "starts", "ends", "edge", "last_edge", "negator", "blocks"):
            assert getattr(pieced, name) == getattr(whole, name), (name, text)
        assert negation.negated_words(pieced, set()) == negation._negated(whole, set()), text
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
        pieces.kept_pieces.clear()
        tokens._seen.clear()
        cold = check_listing(*args, RULES, BANDS)
        warm = [check_listing(*args, RULES, BANDS) for _ in range(3)][-1]
        assert warm == cold, case["id"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It just works. Every. Single. Time.", "it just works. every  single  time."),
        ("No. More. Pills.", "no  more  pills."),
        ("Dr. Smith says hi. Ok.", "dr. smith says hi. ok."),  # one one-word sentence stays
        ("Works. Then rest.", "works. then rest."),  # the next sentence has two words
    ],
)
def test_a_run_of_one_word_sentences_reads_as_one_phrase(text: str, expected: str) -> None:
    assert matching_text(text) == expected
    assert len(matching_text(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("Tendinitis for a year; with this pad it was gone.", True),
        ("Tendinitis for a year; my physio sorted it, and I used this pad.", False),
        ("Tennis elbow: sorted in a fortnight.", True),
        ("Satisfaction guaranteed: love the results or return it.", False),
    ],
)
def test_semicolons_and_colons_join_only_where_the_second_half_points_back(
    text: str, joined: bool
) -> None:
    from catalogue.core.claims.sentences import segments

    seg = segments(_whole(text))
    assert (seg[0] == seg[-1]) is joined
