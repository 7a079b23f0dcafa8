"""Matching the rules' frames (see ``lexicon``) against a listing's words.

All rules' families are compiled into one index keyed by the stem of an entry's first
word, so a listing is read once: each word costs one dictionary lookup (cached per word
form), and only the words that start some family entry are looked at further.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalogue.core.claims.hashtags import hashtag_words, read_tag, split_tag
from catalogue.core.claims.lexicon import (
    MIN_SLIP_LENGTH,
    NOT_SLIPS,
    SUFFIX_MARK,
    parse_frame,
    stem,
    stems,
)
from catalogue.core.claims.pieces import remember
from catalogue.core.claims.slips import (
    missing_letters,
    slip,
    slip_table,
    stutter,
    swapped,
    trigger_forms,
)
from catalogue.core.claims.steps import CompiledStep, Joins, Occurrence, extend, slice_tokens
from catalogue.core.claims.tokens import CLAUSE, Tokens

# (rule index, group, steps) for every frame of every rule
CompiledFrame = tuple[int, str, tuple[CompiledStep, ...]]
Match = tuple[int, str, int, int]  # rule index, group, first word, last word
Entries = dict[str, list[tuple[tuple[str, ...], int]]]
# a word form: families of one-word entries it starts, longer entries by the next stem,
# its stem, and its key into the index ("" when it starts no entry)
_Word = tuple[Sequence[int], Entries | None, str, str]

_CACHE_LIMIT = 50_000
# counted time phrases ("within ten minutes") are not written as hashtags: no run-together
# form is kept for them, which keeps the index (and its one-letter slips) small
_NUMBERS = frozenset(
    "one two three four five six seven eight nine ten twelve fifteen twenty thirty sixty"
    " few couple single".split()
)
_INITIALS = re.compile(r"[a-z](?:\.[a-z])+")
_DROPPED_G_FROM = 6  # "burnin" and longer: shorter "-in" words are too often words of their own
_ICLY_FROM = 7  # "medicly" and longer: "-ically" written "-icly", two letters short of a slip
_JOINED_FROM = 8  # shorter run-together phrases are too often slang or other words ("glowup")


@dataclass(frozen=True, slots=True)
class RuleWords:
    """The part of a rule this module needs: its families and its frames by group."""

    lexicon: Mapping[str, Sequence[str]]
    frames: Mapping[str, Sequence[str]]


def _used(rule: RuleWords) -> Mapping[str, Sequence[str]]:
    """The rule's families that some frame of it names: a family read only by the
    evaluator (``params.antecedent``: hundreds of "when will my skin look" questions, or
    ``params.rival``) is no part of the index, which every kind of device record builds
    afresh."""
    named = {
        step.family for texts in rule.frames.values() for t in texts for step in parse_frame(t)
    }
    return {name: words for name, words in rule.lexicon.items() if name in named}


class FrameIndex:
    def __init__(self, rules: Sequence[RuleWords | None]) -> None:
        self.families: list[tuple[int, str]] = []  # family id -> (rule index, name)
        self.entries: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self.frames: list[CompiledFrame] = []
        self.suffixes: dict[str, str] = {}  # "itis" -> its key "*itis"
        for i, rule in enumerate(rules):
            if rule is None:
                continue
            ids: dict[str, int] = {}

            def family(name: str, words: Sequence[str], i: int = i) -> int:
                fid = len(self.families)
                self.families.append((i, name))
                for word in words:
                    if word.startswith(SUFFIX_MARK):  # "*itis": any word ending so
                        self.entries.setdefault(word, []).append(((), fid))
                        self.suffixes.setdefault(word[1:], word)
                        continue
                    first, *rest = stems(word)
                    self.entries.setdefault(first, []).append((tuple(rest), fid))
                    joined = "".join(word.replace("-", " ").split())
                    if (
                        rest
                        and len(rest) < 3
                        and len(joined) >= _JOINED_FROM
                        and _NUMBERS.isdisjoint(word.split())
                        and not any(c.isdigit() for c in word)
                    ):
                        # "#hairgrowth": a phrase written as one word, as hashtags do
                        self.entries.setdefault(stem(joined), []).append(((), fid))
                    if word.startswith("re") and len(word) > 5 and " " not in word:
                        # "re-grow" is read as two words: "re" and "grow"
                        self.entries.setdefault("re", []).append(((stem(word[2:]), *rest), fid))
                return fid

            for name, words in _used(rule).items():
                ids[name] = family(name, words)
            for group, texts in rule.frames.items():
                for text in texts:
                    steps: list[CompiledStep] = []
                    for step in parse_frame(text):
                        if step.family not in ids:  # a plain word stands for itself
                            ids[step.family] = family(step.family, [step.family])
                        steps.append((ids[step.family], step.gap, step.either))
                    self.frames.append((i, group, tuple(steps)))
        # an inflection listed next to its base form ("heal", "heals") stems the same: each
        # entry is kept once, so a listing word is not counted twice for one family
        for key, items in self.entries.items():
            self.entries[key] = list(dict.fromkeys(items))
        # a frame read inside one run-together hashtag fires as a one-word family of its own
        self.joined: dict[tuple[int, str], int] = {}
        for i, group, _ in list(self.frames):
            if (i, group) not in self.joined:
                fid = self.joined[i, group] = len(self.families)
                self.families.append((i, f"{group} (one hashtag)"))
                self.frames.append((i, group, ((fid, -1, False),)))
        self.known = frozenset(
            s for key, items in self.entries.items() for rest, _ in items for s in (key, *rest)
        )
        self.tags: dict[str, tuple[int, ...]] = {}  # hashtag word -> the families it holds
        # misspelt triggers (see ``slips``)
        self.slips = slip_table(self.entries)
        self.forms = trigger_forms(
            (words for rule in rules if rule is not None for words in _used(rule).values()),
            self.entries,
        )
        self.missing = missing_letters(self.forms, self.entries)
        self.cache: dict[str, _Word] = {}  # word form -> what the index knows of it
        self.pieces: dict[str, dict[int, list[Occurrence]]] = {}  # sentence -> occurrences
        self.runs: dict[tuple[str, ...], list[Match]] = {}  # run of sentences -> matches
        # first stem -> (families of one-word entries, second stem -> (rest, family))
        self.index: dict[str, tuple[list[int], dict[str, list[tuple[tuple[str, ...], int]]]]]
        self.index = {}
        for key, items in self.entries.items():
            single = [fid for rest, fid in items if not rest]
            multi: dict[str, list[tuple[tuple[str, ...], int]]] = {}
            for rest, fid in items:
                if rest:
                    multi.setdefault(rest[0], []).append((rest[1:], fid))
            self.index[key] = (single, multi)
        # first family -> frames starting with it, with the families of their later steps
        self.by_first: dict[int, list[tuple[int, str, tuple[CompiledStep, ...], frozenset[int]]]]
        self.by_first = {}
        for i, group, frame_steps in self.frames:
            needs = frozenset(step[0] for step in frame_steps[1:])
            self.by_first.setdefault(frame_steps[0][0], []).append((i, group, frame_steps, needs))

    def resolve(self, word: str) -> tuple[str, str]:
        """(stem, key into the index or "") of a listing word."""
        found = self.cache.get(word)
        if found is None:
            found = self._look(word)
        return found[2], found[3]

    def _look(self, word: str) -> _Word:
        """Everything the index knows about a word form, cached: memory stays flat on
        endless new words, as the cache is cleared when it is full."""
        form = word
        if "." in word and _INITIALS.fullmatch(word):
            form = word.replace(".", "")  # dotted initials: "f.d.a" reads as "fda"
        s = stem(form)
        if len(form) >= _ICLY_FROM and form.endswith("icly"):
            # "scientificly", "clinicly": "-ically" two letters short ("clinicly" would
            # otherwise stem to "clinic")
            spelt = stem(form[:-2] + "ally")
            if spelt in self.entries:
                s = spelt
        key = s if s in self.entries else ""
        if not key and len(form) >= _DROPPED_G_FROM and form.endswith("in"):
            dropped = stem(form + "g")  # "scorchin", "burnin": the "-ing" with its g dropped
            if dropped in self.entries:
                s = key = dropped
        if not key and len(form) >= MIN_SLIP_LENGTH and form not in NOT_SLIPS:
            if len(s) >= MIN_SLIP_LENGTH:
                key = slip(s, self.entries, self.slips) or self._suffix(s)
            if not key:
                key = swapped(form, self.forms) or self.missing.get(form, "")
        if not key:
            s, key = stutter(form, self.entries) or (s, key)
        single, multi = self.index[key] if key else ((), None)
        found = (single, multi or None, s, key)
        remember(self.cache, word, found, _CACHE_LIMIT)
        return found

    def _suffix(self, s: str) -> str:
        """The key of a suffix entry ("*itis") that ``s`` ends with, or "": the word must
        hold at least two letters before the suffix ("bursitis", not "itis")."""
        for suffix, key in self.suffixes.items():
            if s.endswith(suffix) and len(s) >= len(suffix) + 2:
                return key
        return ""

    def occurrences(self, tokens: Tokens) -> dict[int, list[Occurrence]]:
        """Every family's occurrences in the listing, in order, read sentence by sentence
        (no entry reaches across a sentence end), each sentence once while it is kept."""
        if len(tokens.pieces) <= 1:
            return self._occurrences(
                tokens.words, tokens.edge, hashtag_words(tokens, 0, len(tokens.words))
            )
        return self._piece_hits(tokens, 0, len(tokens.pieces), 0)

    def _piece_hits(
        self, tokens: Tokens, p: int, q: int, origin: int
    ) -> dict[int, list[Occurrence]]:
        """The occurrences in pieces p..q - 1, counted from word ``origin``."""
        pieces, kept = tokens.pieces, self.pieces
        hits: dict[int, list[Occurrence]] = {}
        for n in range(p, q):
            key, k, _ = pieces[n]
            found = kept.get(key)
            if found is None:
                end = pieces[n + 1][1] if n + 1 < len(pieces) else len(tokens.words)
                found = self._occurrences(
                    tokens.words[k:end], tokens.edge[k:end], hashtag_words(tokens, k, end)
                )
                remember(kept, key, found)
            shift = k - origin
            for fid, occurrences in found.items():
                moved = [(a + shift, b + shift) for a, b in occurrences] if shift else occurrences
                if fid in hits:
                    hits[fid].extend(moved)
                else:
                    hits[fid] = list(moved)
        return hits

    def find(self, tokens: Tokens) -> list[Match]:
        """Every frame match in the listing: ``match`` over ``occurrences``, run by run
        (see ``match``), each run of sentences worked out once while it is kept, so a
        sentence met before costs a dictionary lookup."""
        pieces = tokens.pieces
        if len(pieces) <= 1:
            hits = self._occurrences(
                tokens.words, tokens.edge, hashtag_words(tokens, 0, len(tokens.words))
            )
            return self._match(tokens, hits) if hits else []
        out: list[Match] = []
        kept = self.runs
        n = len(tokens.words)
        for p, q in tokens.runs:
            k0 = pieces[p][1]
            key = (pieces[p][0],) if q - p == 1 else tuple(pieces[r][0] for r in range(p, q))
            found = kept.get(key)
            if found is None:
                k1 = pieces[q][1] if q < len(pieces) else n
                hits = self._piece_hits(tokens, p, q, k0)
                found = self._match(slice_tokens(tokens, k0, k1), hits) if hits else []
                remember(kept, key, found)
            if found:  # most runs hold no frame: skip building an empty list
                out += [(i, g, a + k0, b + k0) for i, g, a, b in found] if k0 else found
        return out

    def _occurrences(
        self, words: list[str], edge: list[int], tags: Sequence[int] = ()
    ) -> dict[int, list[Occurrence]]:
        n = len(words)
        get = self.cache.get
        found = [get(w) for w in words]
        if None in found:
            look = self._look
            found = [look(w) if f is None else f for w, f in zip(words, found, strict=True)]
        hits: dict[int, list[Occurrence]] = {}
        for i in [i for i, f in enumerate(found) if f[3]]:  # type: ignore[index]
            single, multi, _, _ = found[i]  # type: ignore[misc]
            for fid in single:
                if fid in hits:
                    hits[fid].append((i, i))
                else:
                    hits[fid] = [(i, i)]
            if multi is None or i + 1 >= n or edge[i + 1] >= CLAUSE:
                continue
            for rest, fid in multi.get(found[i + 1][2], ()):  # type: ignore[index]
                j = i + 1 + len(rest)
                if (
                    rest
                    and (
                        j >= n
                        or any(found[i + 2 + k][2] != r for k, r in enumerate(rest))  # type: ignore[index]
                        or max(edge[i + 2 : j + 1]) >= CLAUSE
                    )
                ):
                    continue
                hits.setdefault(fid, []).append((i, j))
        for i in tags:
            if not found[i][3]:  # type: ignore[index]
                for fid in self._run_together(words[i]):
                    insort(hits.setdefault(fid, []), (i, i))
        return hits

    def _run_together(self, word: str) -> tuple[int, ...]:
        """The families a lower-case hashtag holds, read as its words (see ``hashtags``)."""
        found = self.tags.get(word)
        if found is None:
            parts = split_tag(word, self.known, _JOINED_FROM)
            found = read_tag(parts, self._occurrences, self._match, self.joined) if parts else ()
            remember(self.tags, word, found, _CACHE_LIMIT)
        return found

    def match(self, tokens: Tokens, hits: dict[int, list[Occurrence]]) -> list[Match]:
        """(rule index, group, first word, last word) of every frame match.

        A frame joins words of one segment only, and segments reach across a sentence end
        only where a question meets its short answer or a fragment its sentence; ``find``
        relies on it to match run by run."""
        return self._match(tokens, hits)

    def _match(self, tokens: Tokens, hits: dict[int, list[Occurrence]]) -> list[Match]:
        out: list[Match] = []
        joins = Joins(tokens)
        by_first = self.by_first
        present = hits.keys()
        for fid in hits:
            for i, group, steps, needs in by_first.get(fid, ()):
                first = hits[fid]
                if len(steps) == 1:
                    out.extend((i, group, a, b) for a, b in first)
                    continue
                if not needs <= present:  # a later step's family is not in the listing
                    continue
                for a, b in first:
                    span = extend(joins, hits, steps, 1, a, b)
                    if span is not None:
                        out.append((i, group, *span))
        return out
