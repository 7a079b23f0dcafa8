"""A claim that a footnote takes back: "Guaranteed results*" over "*Results not guaranteed.".

A mark right after the claim (an asterisk, a dagger, a superscript figure) sends the
reader to the line that opens with the same mark; when that note's first sentence denies
the claim's own word ("not guaranteed", "no miracle", "never a cure"), the listing has
said the claim and unsaid it, and the claim does not fire. A note that only qualifies the
claim ("*in a survey of 40 runners", "*results may vary") takes nothing back.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_MARKS = "*\u2020\u2021\u00b9\u00b2\u00b3"
# the mark after the claim, in its line and sentence: "results*", "results.*", "results (*)"
_AFTER = re.compile(r"[^\n.!?" + _MARKS + r"]{0,30}?[.!]?\(?([" + _MARKS + r"]+)\)?")
_NEGATOR = r"(?:not|no|never|nothing|none|isn't|aren't|wasn't|won't|can't|cannot|nor)"
_REACH = 1500  # characters after the claim in which its note may stand


def taken_back(description: str, span: Span) -> bool:
    """Whether a footnote the claim at ``span`` is marked for denies the claim's word."""
    a, b = span
    m = _AFTER.match(description, b)
    if m is None:
        return False
    mark = m.group(1)
    note = re.compile(
        r"(?m)^[ \t]*\(?" + re.escape(mark) + r"(?![" + _MARKS + r"])\)?[ \t]*([^\n]+)"
    ).search(description, m.end(), m.end() + _REACH)
    if note is None:
        return False
    sentence = re.split(r"(?<=[.!?])\s", note.group(1), maxsplit=1)[0].lower()
    stems = {w[: max(4, len(w) - 3)] for w in re.findall(r"[a-z]{4,}", description[a:b].lower())}
    return any(
        re.search(
            r"(?<![\w-])" + _NEGATOR + r"(?: [\w'-]+){0,2} (?:a |an )?" + re.escape(s),
            sentence,
        )
        is not None
        for s in stems
    )


__all__ = ["taken_back"]
