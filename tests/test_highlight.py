"""Cutting a description into plain and marked pieces, and rendering them escaped."""

from __future__ import annotations

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape

from catalogue.claims.highlight import Note, segments
from catalogue.settings import ROOT

TEXT = "It cures arthritis instantly, with a bright glow."


def note(rule: str, severity: str = "error", waived: bool = False) -> Note:
    return Note(rule, severity, f"{rule} message", waived)


def marked(spans: list[tuple[int, int, Note]], text: str = TEXT) -> list[tuple[str, list[str]]]:
    out = segments(text, spans)
    assert "".join(s.text for s in out) == text  # nothing lost, nothing repeated
    return [(s.text, [n.rule for n in s.notes]) for s in out]


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([], [(TEXT, [])]),
        (
            [(3, 8, note("cure"))],
            [("It ", []), ("cures", ["cure"]), (TEXT[8:], [])],
        ),
        # Two rules on overlapping words: one mark carrying both messages.
        (
            [(3, 18, note("cure")), (9, 28, note("instant"))],
            [("It ", []), ("cures arthritis instantly", ["cure", "instant"]), (TEXT[28:], [])],
        ),
        # A span inside another joins it.
        (
            [(3, 28, note("long")), (9, 18, note("inner"))],
            [("It ", []), ("cures arthritis instantly", ["inner", "long"]), (TEXT[28:], [])],
        ),
        # Touching spans stay two marks.
        (
            [(3, 8, note("a")), (8, 18, note("b"))],
            [("It ", []), ("cures", ["a"]), (" arthritis", ["b"]), (TEXT[18:], [])],
        ),
        # Given out of order, they come out in text order.
        (
            [(44, 48, note("glow")), (0, 2, note("first"))],
            [("It", ["first"]), (TEXT[2:44], []), ("glow", ["glow"]), (".", [])],
        ),
        # Record checks point at no words; a stale span past the end is clipped or dropped.
        ([(0, 0, note("record")), (45, 99, note("tail")), (80, 90, note("gone"))],
         [(TEXT[:45], []), (TEXT[45:], ["tail"])]),
    ],
)  # fmt: skip
def test_segments(spans, expected) -> None:
    assert marked(spans) == expected


def test_empty_text_is_one_empty_segment() -> None:
    assert marked([(0, 0, note("record"))], "") == [("", [])]


def test_a_cluster_takes_the_most_serious_open_severity() -> None:
    spans = [
        (3, 8, note("sugg", "suggestion")),
        (3, 18, note("warn", "warning", waived=True)),
        (5, 12, note("err", "error")),
    ]
    (cluster,) = [s for s in segments(TEXT, spans) if s.marked]
    assert [n.rule for n in cluster.notes] == ["err", "warn", "sugg"]
    assert cluster.severity == "error" and not cluster.waived
    (waived,) = [s for s in segments(TEXT, [(3, 8, note("w", "warning", True))]) if s.marked]
    assert waived.waived and waived.severity == "warning"


def test_the_partial_escapes_words_and_messages() -> None:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates"), autoescape=select_autoescape(default=True)
    )
    text = 'Say <b>"cures"</b> & more'
    spans = [(7, 14, Note("cure", "error", "<i>no</i>"))]
    html = env.get_template("partials/_highlighted.html").render(
        segments=segments(text, spans), tip_prefix="t"
    )
    assert html.startswith("Say &lt;b&gt;")
    assert '<mark class="finding finding--error" tabindex="0" aria-describedby="t-2">' in html
    assert '">&#34;cures&#34;</mark>' in html
    assert "&lt;i&gt;no&lt;/i&gt;" in html and "<i>" not in html
    assert html.endswith("&lt;/b&gt; &amp; more")


def test_the_example_in_the_module_docstring_holds() -> None:
    import doctest

    from catalogue.claims import highlight

    result = doctest.testmod(highlight)
    assert (result.attempted, result.failed) == (1, 0)
