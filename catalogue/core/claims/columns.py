"""Claims in a comparison table's column that belongs to another product.

A listing may flatten a table into lines of cells parted by "|", its first line the
header ("Feature | JointBeam 850 | Brand X"). A cell under a header that names another
product ("Brand X", "Other panels", "Typical competitor", "Cheap knock-offs") reports what
that product does or claims ("'Glowing' diodes", "'Intense heat'"), not the listing's own
product; a cell under the product's own name, or under a header naming nothing else,
still makes its claim. ``scope.holds`` asks ``others_cell``; ``disowned.may_deny`` keeps
such listings out of the kept-sentence stores, since a row's verdict depends on the header.
"""

from __future__ import annotations

from collections.abc import Callable

from catalogue.core.claims.framing import OTHERS
from catalogue.core.claims.tokens import Tokens

# words of a header cell that name another product
_OTHER_WORDS = OTHERS | frozenset(
    "brand competitor rival rivals other typical generic cheap cheaper knockoff knockoffs"
    " knock-off knock-offs theirs them".split()
)
# words that name the listing's own product or seller ("Our brand", "Us")
_OWN_WORDS = frozenset("our ours us we this".split())

_kept: list[tuple[str, list[tuple[int, int]]]] = [("", [])]  # the last listing's cells


def _names_other(cell: str) -> bool:
    """Whether a header cell names another product and not the listing's own."""
    words = set(cell.lower().replace("'", " ").split())
    return bool(words) and not words.isdisjoint(_OTHER_WORDS) and words.isdisjoint(_OWN_WORDS)


def _separator(line: str) -> bool:
    """Whether a table line only draws the border under its header ("---|:--:|---")."""
    return not line.replace("|", "").replace("-", "").replace(":", "").strip()


def column_cells(text: str, heads: Callable[[str], list[bool] | None]) -> list[tuple[int, int]]:
    """The character spans, in order, of the cells in the columns that ``heads`` picks
    from each table's header line (None or no True: none of that table), over every table
    of the text (a run of lines holding "|")."""
    out: list[tuple[int, int]] = []
    header: list[bool] | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if "|" not in line:
            header = None
            continue
        parts = line.split("|")
        if header is None:
            header = heads(line) or []
            continue
        if _separator(line):
            continue
        at = start
        for col, part in enumerate(parts):
            if col < len(header) and header[col]:
                out.append((at, at + len(part)))
            at += len(part) + 1
    return out


def _other_heads(line: str) -> list[bool] | None:
    """Which cells of a header line name another product (see ``_names_other``)."""
    return [_names_other(p) for p in line.split("|")]


def other_cells(tokens: Tokens) -> list[tuple[int, int]]:
    """The spans of the listing's cells under another product's header (see ``column_cells``),
    worked out once per listing."""
    text = tokens.text
    if "|" not in text or "\n" not in text:
        return []
    if _kept[0][0] is not text:
        _kept[0] = (text, column_cells(text, _other_heads))
    return _kept[0][1]


def others_cell(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j starts or ends in a table cell under a header that
    names another product: a match may run on from the row's first cell ("Heat | Gentle |
    'Scorching'") or from the product's own cell ("850 nm, invisible | 'Glows'"), and the
    other product's cell holds the word that makes it a claim."""
    return touches(other_cells(tokens), tokens, i, j)


def touches(spans: list[tuple[int, int]], tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j starts or ends inside one of the character spans."""
    if not spans:
        return False
    return any(a <= at < b for at in (tokens.starts[i], tokens.starts[j]) for a, b in spans)
