"""The per-sentence store: sentences read before, kept for the listings after.

A listing is read sentence by sentence (see ``tokens.tokenize``): a sentence's words never
depend on the sentence before, so each is worked out once and kept, and every step that
reads a listing keeps its own per-sentence verdicts by the same keys (catalogues repeat
their boilerplate). Each store is emptied when full (``remember``), so memory stays flat
on endless new text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar


class Read(Protocol):
    """A listing as ``tokens.tokenize`` reads it: the keys and spans of its sentences.
    (Named by shape, not imported: ``tokens`` imports this store.)"""

    pieces: list[tuple[str, int, int]]


# A kept sentence: its words as a listing of their own (a ``tokens.Tokens``), and the same
# parts laid out for ``tokenize`` to join without looking anything up: words, starts, ends,
# the edges after its first word, negator flags, blocks, the edge after its last word, the
# edge before its first word, and its head and tail (see ``tokens._piece``).
Piece = tuple[
    Any, list[str], list[int], list[int], list[int], list[bool], list[int], int, int, int, int
]

PIECES_KEPT = 4096  # sentences kept by each per-sentence store
kept_pieces: dict[str, Piece] = {}  # a sentence's key (see ``piece_key``) -> its piece

_K = TypeVar("_K", bound=Hashable)
_R = TypeVar("_R", bound=Read)
_V = TypeVar("_V")


def remember(store: dict[_K, _V], key: _K, value: _V, most: int = PIECES_KEPT) -> None:
    """``store[key] = value``, the store emptied first when it holds ``most`` entries."""
    if len(store) >= most:
        store.clear()
    store[key] = value


def piece_key(text: str, original: str) -> str:
    """What a piece's words depend on: its text, and its capitals where a hashtag is split."""
    return text if "#" not in text else f"{text}\x00{original}"


def piece_parts(key: str) -> Piece | None:
    """A sentence read before, with its parts (see ``Piece``), while kept."""
    return kept_pieces.get(key)


def piece_tokens(key: str) -> Any:
    """The words of a sentence read before, as a listing of their own (a ``tokens.Tokens``),
    while kept; None once it is not."""
    found = kept_pieces.get(key)
    return None if found is None else found[0]


def any_piece(store: dict[str, bool], tokens: _R, judge: Callable[[_R], bool]) -> bool:
    """Whether ``judge`` holds for some sentence of the listing, each sentence judged once
    while kept (``store``: its key -> the verdict, emptied when full); True for a listing
    read whole, or one with a sentence no longer kept, since those cannot be told apart."""
    pieces = tokens.pieces
    if not pieces:
        return True
    keys = [p[0] for p in pieces]
    flags = list(map(store.get, keys))
    if None not in flags:  # every sentence met before: the common case, looked up at once
        return True in flags
    for key, found in zip(keys, flags, strict=True):
        if found is None:
            own = piece_tokens(key)
            if own is None:
                return True
            found = judge(own)
            remember(store, key, found)
        if found:
            return True
    return False
