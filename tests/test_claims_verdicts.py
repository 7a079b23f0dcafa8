"""The verdicts kept per sentence (``check.kept_blocked``) and the claims kept per sentence
(``kept``) change no finding: a listing checked cold gives what it gives once its sentences
have been met in other listings, next to other neighbours. And the test that says which
excuse phrases stay inside a sentence."""

from __future__ import annotations

import random

import pytest

from catalogue.core.claims import disowned, evaluate, pieces, tokens
from catalogue.core.claims.check import check_listing
from catalogue.core.claims.compiled import _behind_skipped, compiled
from catalogue.core.claims.evaluate import _finding
from catalogue.core.claims.rules import ClaimFinding
from catalogue.core.claims.stops import look_back, stays_in_sentence
from tests.claims_support import CASES
from tests.test_claims_messages import AREAS, BANDS, RULES

Args = tuple[str, list[float], list[str]]


def _check(args: Args) -> list[ClaimFinding]:
    text, waves, slugs = args
    return check_listing(text, waves, [AREAS[a] for a in slugs], RULES, BANDS)


def _cold(args: Args) -> list[ClaimFinding]:
    """Findings with every per-sentence store empty: a listing met first is read whole."""
    pieces.kept_pieces.clear()
    tokens._seen.clear()
    compiled(RULES).verdicts.clear()
    compiled(RULES).window_verdicts.clear()
    compiled(RULES).mismatches.clear()
    compiled(RULES).sentence_claims.clear()
    disowned._may.clear()
    evaluate._missing.clear()
    return _check(args)


@pytest.mark.parametrize("chunk", range(2))
def test_corpus_findings_are_the_same_cold_and_with_kept_verdicts(chunk: int) -> None:
    cases: list[Args] = [
        (c["description"], c["wavelengths_nm"], c["areas"]) for c in CASES[chunk::2]
    ]
    cold = [_cold(args) for args in cases]
    rng = random.Random(chunk)
    for _ in range(2 * len(cases) // 3):  # sentences met next to other neighbours first
        group = rng.sample(cases, 3)
        _check((" ".join(t for t, _, _ in group), *group[0][1:]))
    assert compiled(RULES).verdicts  # verdicts were kept
    assert compiled(RULES).window_verdicts  # and verdicts per window of text
    assert compiled(RULES).mismatches  # and the words of wavelength and band findings
    assert compiled(RULES).sentence_claims  # and the claims of sentences
    assert evaluate._missing
    for args, expected in zip(cases, cold, strict=True):
        assert _check(args) == expected, args[0]
        assert _check(args) == expected, args[0]
    # a listing that repeats its sentences, read cold, then with its own verdicts kept
    for args, other in zip(cases[::25], cases[7::25], strict=False):
        repeated: Args = (f"{args[0]} {other[0]} {args[0]}", args[1], args[2])
        expected = _cold(repeated)
        for _ in range(3):
            assert _check(repeated) == expected, repeated[0]


# Our own sentences; each pair holds one sentence whose claim the other sentence's
# neighbour decides, and the listings repeat them in other orders.
NEIGHBOURS = [
    (  # a comparison "vs." ends a sentence, yet reaches the next one
        [660.0, 850.0],
        ["Our 660 nm panel vs. ", "Our 660 nm panel is small. "],
        "940 nm lamps run hotter.",
    ),
    (  # the next sentence disowns the miracle
        [630.0, 850.0],
        ["Friends call the pad a miracle. "],
        "We'd rather you didn't count on one. Give it a few weeks.",
    ),
]


@pytest.mark.parametrize(("waves", "befores", "sentence"), NEIGHBOURS)
def test_a_neighbour_that_decides_a_claim_is_read_every_time(
    waves: list[float], befores: list[str], sentence: str
) -> None:
    others = ["Give it a few weeks. ", "It cures arthritis. ", ""]
    listings = [
        before + sentence + " " + other + before + sentence
        for before in befores
        for other in others
    ] + [other + sentence + " " + before for before in befores for other in others]
    listings += [*befores, sentence]
    expected = {text: _cold((text, waves, ["knees"])) for text in listings}
    assert len({tuple(f.rule for f in v) for v in expected.values()}) > 1  # neighbours matter
    rng = random.Random(7)
    for _ in range(3):
        for text in rng.sample(listings, len(listings)):
            assert _check((text, waves, ["knees"])) == expected[text], text


def test_rules_keep_verdicts_except_near_phrases_that_cross_a_stop() -> None:
    comp = compiled(RULES)
    ids = [r.id for r in RULES]
    assert comp.sentence_verdicts[ids.index("cure-claim")]
    band = comp.reach_out[ids.index("band-mismatch")]
    assert band is not None and band.search("ours vs. the rest")  # "vs\.?" may cross a stop


@pytest.mark.parametrize(
    ("pattern", "stays"),
    [
        (r"cur(?:e|es|ed) (?:[\w-]+\s+){0,2}coatings?", True),
        (r"unlike [^.;!?\n]*", True),
        (r"heat[- ]?sinks?(?! into| in\b)", True),
        (r"\bbefore(?: [\w-]+)? *$", True),
        (r"miracles?[.!?,;:]? we", False),  # a stop inside the phrase
        (r"vs\.?", False),
        (r"a.b", False),  # "." matches a stop
        (r"a[^x]", False),
        (r"a\W", False),
        (r"(?<=x)a", False),  # a lookbehind may read the space before a sentence
        (r"^a", False),  # the start of a listing is not the start of a sentence
        (r"(a", False),  # not a regex at all
    ],
)
def test_which_patterns_stay_inside_a_sentence(pattern: str, stays: bool) -> None:
    assert stays_in_sentence(pattern) is stays


def test_rules_without_cues_keep_verdicts_per_window() -> None:
    comp = compiled(RULES)
    ids = [r.id for r in RULES]
    assert not comp.sentence_verdicts[ids.index("miracle-or-guarantee")]
    assert comp.window_back[ids.index("miracle-or-guarantee")] is not None
    assert comp.window_back[ids.index("cure-claim")] is None  # kept per sentence instead


@pytest.mark.parametrize(
    ("pattern", "back"),
    [
        (r"cure(?:s|d)? \w+", 0),
        (r"(?<![\w-])cure", 1),
        (r"\bcure", 1),
        (r"(?<!(?<!compared)[ ]with[ ])nir", 14),  # the inner reads before the outer
        (r"(?:a|(?<=xy)b)+", 2),
        (r"a(?=(?<=abc)d)", 3),
        (r"(a)(?(1)b|c)", None),  # a conditional group: not known here
        (r"(a", None),
    ],
)
def test_how_far_before_its_start_a_pattern_reads(pattern: str, back: int | None) -> None:
    assert look_back(pattern) == back


def test_findings_built_through_their_slots_equal_the_dataclass() -> None:
    values = ("rule", "error", 3, 9, "cures it", "message", "suggestion")
    built = _finding(*values)
    assert built == ClaimFinding(*values)
    assert hash(built) == hash(ClaimFinding(*values))
    assert built.to_dict() == ClaimFinding(*values).to_dict()


@pytest.mark.parametrize(
    ("piece", "rest"),
    [
        (r"(?<=\bthe\s)(?<!\bin\sa\s)second\s+go", r"second\s+go"),
        (r"(?<!(?<!compared)[\s]with[\s])(?<![+&][\s])(?:near|nir)", r"(?:near|nir)"),
        (r"(?<=[)(])x", "x"),  # brackets inside a class
        (r"cures?", r"cures?"),
        (r"(?<=a", r"(?<=a"),  # no end: left as it is
    ],
)
def test_an_excuse_cue_is_read_after_its_lookbehinds(piece: str, rest: str) -> None:
    assert _behind_skipped(piece) == rest


def test_claims_next_to_a_cue_read_behind_are_the_same_cold_and_kept() -> None:
    sentences = [
        "Relief is instant from the second session on. ",
        "Instant relief. ",
        "Expect instant relief after your second go. ",
        "Tried it in a second. ",
        "Second session: instant results. ",
        "It gives instant relief, the second week is better. ",
    ]
    rng = random.Random(3)
    listings = ["".join(rng.sample(sentences, 3)) for _ in range(30)]
    expected = {text: _cold((text, [660.0, 850.0], ["knees"])) for text in listings}
    assert any(expected.values())
    for _ in range(2):
        for text in rng.sample(listings, len(listings)):
            assert _check((text, [660.0, 850.0], ["knees"])) == expected[text], text


def test_corpus_sentences_kept_give_the_same_claims_in_any_company() -> None:
    """The whole corpus, sentence by sentence: listings of three cases' texts run together
    (so each sentence meets neighbours it never had), each checked with no store at all,
    then all of them again, in another order, with every sentence kept; and the kept
    claims are used, most listings costing a lookup per sentence."""
    cases: list[Args] = [(c["description"], c["wavelengths_nm"], c["areas"]) for c in CASES]
    rng = random.Random(11)
    listings: list[Args] = []
    for _ in range(len(cases) // 2):
        group = rng.sample(cases, 3)
        listings.append((" ".join(t for t, _, _ in group), *group[0][1:]))
    listings += cases
    expected = [_cold(args) for args in listings]
    store = compiled(RULES).sentence_claims
    kept = 0
    for args in listings:
        _check(args)
    for x in rng.sample(range(len(listings)), len(listings)):
        before = len(store)
        assert _check(listings[x]) == expected[x], listings[x][0]
        kept += len(store) == before
    assert store
    assert kept > len(listings) // 2


# A sentence kept next to one neighbour, then met next to others that decide its claims.
KEPT_NEIGHBOURS = [
    # the next sentence's opening denies the claim that ends this one
    ("The pad cures arthritis in a month. ", "This one doesn't, of course. ", "It is light. "),
    ("Results are guaranteed for every user. ", "Ours won't. ", "Ours is blue. "),
    # an excuse that crosses a stop ("nerves ... . This fixes them") from the sentence before
    ("Nerves in the feet tingle. ", "This fixes them within weeks. ", "It cures nerves. "),
    # an excuse of a rule whose phrases cross a stop, read afresh in each listing
    ("Our wrap is a miracle. ", "Do not expect one, though. ", "It is blue. "),
    ("Free delivery on every order. ", "Guaranteed. ", "Results guaranteed. "),
    # the whitespace before a sentence, read by a lookbehind
    ("Use with\nnear infrared light reaching deeper tissue. ", "Use with ", "Use it "),
]


@pytest.mark.parametrize(("first", "second", "other"), KEPT_NEIGHBOURS)
def test_a_kept_sentence_met_next_to_other_neighbours(first: str, second: str, other: str) -> None:
    listings = [
        first + second,
        first + other,
        other + first + second,
        second + first + other,
        first + other + second,
        other + first,
        first + first + second,
    ]
    for waves in ([660.0], [660.0, 850.0], [850.0]):
        expected = {text: _cold((text, waves, ["knees"])) for text in listings}
        rng = random.Random(5)
        for _ in range(3):
            for text in rng.sample(listings, len(listings)):
                assert _check((text, waves, ["knees"])) == expected[text], text
