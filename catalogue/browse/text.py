"""The shopper's words (``q``) as a full-text match over device name, brand and description.

Every word must match somewhere in the name, brand or description, as a word or the start of
one: "knee" finds "knee" and "kneepad", not "sideknee". SQLite matches on the FTS5 table
``device_fts``, PostgreSQL on a GIN index over a 'simple' tsvector (both made by migration
0003, kept by triggers and by PostgreSQL itself).

No FTS syntax from the shopper ever reaches the match: on SQLite a word is cut into its
letter-and-digit runs (what the FTS5 tokenizer does too) and each run is quoted; on PostgreSQL
the word is quoted whole and the parser cuts it as it cut the document. A word with no letter
or digit ("*", "-") is no filter. A word holding anything but letters and digits, such as
"50%" or "IP-65", also keeps its old literal test (LIKE, on the rows the index found), so
"5_%" does not find "50" and "eyes-lips" does not find "eyes OR lips".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select, table
from sqlmodel import col

from catalogue.data.models import Device

_RUN = re.compile(r"[^\W_]+")  # letters and digits, as the tokenizers see a word
TEXT_COLUMNS = (Device.name, Device.brand, Device.description)
# The expression of migration 0003's index, spelled the same or PostgreSQL will not use it.
# Literal SQL rather than bound parameters: a bound 'simple' would not match the index either.
_PG_DOCUMENT: ColumnElement[Any] = literal_column(
    "to_tsvector('simple', device.name || ' ' || device.brand || ' ' || device.description)"
)


def runs(word: str) -> list[str]:
    return [r.lower() for r in _RUN.findall(word)]


def text_conditions(words: Sequence[str], dialect: str) -> list[ColumnElement[bool]]:
    """The WHERE conditions for the words; none when no word has a letter or digit."""
    searched = list(dict.fromkeys(w for w in words if runs(w)))
    if not searched:
        return []
    conditions = [_match(searched, dialect)]
    for word in words:
        if runs(word) and _RUN.fullmatch(word) is None:
            conditions.append(or_(*(contains(column, word) for column in TEXT_COLUMNS)))
    return conditions


def _match(words: list[str], dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        # Each word quoted whole, so PostgreSQL's own parser cuts it as it cut the document
        # ("IP-65" is 'ip' then '-65' to it); every lexeme a prefix, a word's lexemes adjacent.
        # Inside quotes only the quote and the backslash mean anything; both are doubled.
        quoted = (w.replace("\\", "\\\\").replace("'", "''") for w in words)
        query = " & ".join(f"'{w}':*" for w in quoted)
        return _PG_DOCUMENT.op("@@")(func.to_tsquery(literal_column("'simple'"), query))
    terms = list(dict.fromkeys(r for w in words for r in runs(w)))
    if dialect == "sqlite":
        # Space-separated terms are ANDed; each is a quoted prefix, so "NEAR" or "OR" is a word.
        query = " ".join(f'"{t}"*' for t in terms)
        matching = literal_column("device_fts").op("MATCH")(query)
        return col(Device.id).in_(
            select(literal_column("rowid")).select_from(table("device_fts")).where(matching)
        )
    # No full-text index on other databases: every run somewhere, as a substring.
    return and_(*(or_(*(contains(c, t) for c in TEXT_COLUMNS)) for t in terms))


def contains(column: Any, word: str) -> ColumnElement[bool]:
    """Case-insensitive "holds this word", with % and _ taken literally: "50%" is not a wildcard."""
    literal = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col(column).ilike(f"%{literal}%", escape="\\")
