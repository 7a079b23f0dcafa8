"""Text helpers for the claim checker: matching copy, regex phrase scanning, wavelengths.

Everything works on a *same-length*, lower-cased copy of the listing (``matching_text``), so
every offset found is also an offset into the original description.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from catalogue.core.claims.pieces import remember

# --- the matching copy -------------------------------------------------------------------

_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        '"': " ",
        "\u201c": " ",
        "\u201d": " ",
        "\u201e": " ",
        "\u00ab": " ",
        "\u00bb": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)
# A straight quote that is not an apostrophe inside a word ("don't") marks a quotation.
_STRAY_QUOTE = re.compile(r"(?<!\w)'|'(?!\w)")
# An exclamation mark closing a quotation that its sentence then carries on in lower case
# ('rivals shout "miracle!" and "FDA approved!" from the stands') ends no sentence: the
# words after it still belong to whoever was said to shout them. It reads as a comma.
_QUOTED_BANG = re.compile("!(?=[\"'\u2019\u201d\u00bb]+[ \t]+[a-z])")


# A run of one-word sentences is one phrase said with emphasis: "Every. Single. Time.",
# "No. More. Pills." The full stop between two such words is blanked (same length).
# a run of two or more holds a one-word sentence right after another sentence's end
_ONE_WORD_AFTER_ANOTHER = re.compile(r"[.!?] \w+[.!?]")
# the same where no "!" or "?" stands: a literal first character is found three times faster
_ONE_WORD_AFTER_STOP = re.compile(r"\. \w+[.!?]")
# a run may open a line as well as the text ("Instant relief.\nEvery. Single. Time.")
_ONE_WORD_RUN = re.compile(r"(?:^|(?<=[.!?] ))(\w+)\.(?= \w+[.!?](?:\s|$))", re.MULTILINE)


def matching_text(text: str) -> str:
    """A same-length copy: lower case, apostrophes straightened, quotation marks blanked.

    Quoted words ('instant results', "fix") then match like plain words, and the negator
    that introduces them still governs them.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if not low.isascii() or '"' in low or "`" in low:  # else the table changes nothing
        low = low.translate(_SAME_LENGTH)
    if "!" in low and (bang := _QUOTED_BANG.search(text)) is not None:  # rare: then all of them
        marks = [m.start() for m in _QUOTED_BANG.finditer(text, bang.start())]
        chars = list(low)
        for at in marks:
            chars[at] = ","
        low = "".join(chars)
    after = _ONE_WORD_AFTER_ANOTHER if "!" in low or "?" in low else _ONE_WORD_AFTER_STOP
    if after.search(low) is not None:  # cheap: most listings have none
        low = _ONE_WORD_RUN.sub(r"\1 ", low)
    return _STRAY_QUOTE.sub(" ", low) if "'" in low else low


# --- rule fragments ----------------------------------------------------------------------

# Negators written without their apostrophe, as dictation and quick typing leave them
# ("doesnt", "wont"): a rule's "doesn't" also reads "doesnt" (see ``_spaces``), and a gap
# word is never one of them.
BARE_NEGATORS = (
    r"(?:do|does|did|is|are|was|were|ca|wo|could|would|should|has|have|had|ai|must|need)nt"
)
# {w}: one word of a short gap between the words of a phrase. It never crosses punctuation,
# a negator or a contrast word, so "nir does not glow" is not read as "nir ... glow".
GAP_WORD = (
    r"(?:(?!(?:not|no|never|nor|neither|without|but|yet|however|cannot|"
    + BARE_NEGATORS
    + r")\b)[\w-]+\s+)"
)
BUILTIN_TERMS: dict[str, str] = {"w": GAP_WORD}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_FORBIDDEN = re.compile(r"\(\?P[<=]|\\[1-9]|\(\?[aiLmsux]")


def _spaces(fragment: str) -> str:
    """A literal space means "any run of whitespace"; " ?" and " *" mean "optional".

    A plain ``(`` becomes ``(?:``: rule fragments only group, they never capture.
    """
    out: list[str] = []
    i, in_class, n = 0, False, len(fragment)
    while i < n:
        c = fragment[i]
        if c == "\\":
            out.append(fragment[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(r"\s" if c == " " else c)
        elif c == "(" and fragment[i + 1 : i + 2] != "?":
            out.append("(?:")  # groups only group: captures would upset the scanner's groups
        elif c == "[":
            in_class = True
            out.append(c)
        elif (
            c == "'"
            and fragment[i - 1 : i] == "n"
            and fragment[i - 2 : i - 1].isalpha()
            and fragment[i + 1 : i + 2] == "t"
            and not fragment[i + 2 : i + 3].isalpha()
        ):
            out.append("'?")  # "doesn't" reads "doesnt" too
        elif c == " ":
            if fragment[i + 1 : i + 2] in ("?", "*"):
                out.append(r"\s*")
                i += 2
                continue
            out.append(r"\s+")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def fragment_problem(fragment: str) -> str | None:
    """Why a fragment cannot be used as written, or None: patterns meet lower-cased text."""
    if _FORBIDDEN.search(fragment):
        return "may not use named groups, back-references or inline flags"
    if any(c.isupper() for c in re.sub(r"\\.", "", fragment)):
        return "is matched against lower-cased text; write it in lower case"
    return None


def patterns_problem(fragments: Sequence[str], terms: Mapping[str, Sequence[str]]) -> str | None:
    """What is wrong with a rule's fragments (and the terms they use), or None."""
    if set(terms) & set(BUILTIN_TERMS):
        return f"term names {sorted(BUILTIN_TERMS)} are built in and cannot be redefined"
    for fragment in [*fragments, *(t for ts in terms.values() for t in ts)]:
        problem = fragment_problem(fragment)
        if problem:
            return f"pattern {fragment!r} {problem}"
    for fragment in fragments:
        try:
            compiled = re.compile(expand_fragment(fragment, terms))
        except (re.error, ValueError, RecursionError) as exc:
            return f"pattern {fragment!r} does not compile: {exc}"
        if compiled.fullmatch(""):
            return f"pattern {fragment!r} matches empty text"
    return None


def expand_fragment(fragment: str, terms: Mapping[str, Sequence[str]], depth: int = 0) -> str:
    """Replace ``{name}`` by the rule's term list (an alternation) and spaces by ``\\s+``."""

    def term(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in BUILTIN_TERMS:
            return BUILTIN_TERMS[name]
        if name not in terms:
            raise ValueError(f"unknown term {{{name}}} in pattern {fragment!r}")
        if depth > 3:
            raise ValueError(f"terms nested too deeply in {fragment!r}")
        return "(?:" + "|".join(expand_fragment(t, terms, depth + 1) for t in terms[name]) + ")"

    return _PLACEHOLDER.sub(term, _spaces(fragment))


# --- scanning many phrase patterns at once ------------------------------------------------


def first_chars(piece: str) -> frozenset[str] | None:
    """The letter a piece of a fragment must start with, or None when it is not plain.

    Read from the fragment's own text (``alternatives`` has already spread leading
    alternations out), not from the regex engine's private parser: a piece that does not
    start with a plain letter is simply tried at every word start.
    """
    prefix, _ = literal_prefix(piece)
    return frozenset(prefix[0]) if prefix else None


def _split(regex: str) -> tuple[list[str], int]:
    """Top-level alternatives of ``regex`` up to its first unmatched ")", and where that is."""
    parts, depth, start, k, in_class = [], 0, 0, 0, False
    while k < len(regex):
        c = regex[k]
        if c == "\\":
            k += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(regex[start:k])
            start = k + 1
        k += 1
    parts.append(regex[start:k])
    return parts, k


def closing(regex: str) -> int:
    """Where the first unmatched ")" of ``regex`` stands (its length when there is none):
    the end of the group whose opening was cut off before ``regex``."""
    return _split(regex)[1]


def alternatives(regex: str, limit: int = 400) -> list[str]:
    """``(?:a|b)?c`` -> ``["ac", "bc", "c"]``: leading alternations spread out, so that each
    piece starts with a plain letter the scanner can dispatch on. The same language."""
    parts, _ = _split(regex)
    if len(parts) > 1:
        out = [x for p in parts for x in alternatives(p, limit)]
    elif regex.startswith("(?:"):
        inner, close = _split(regex[3:])
        rest = regex[3 + close + 1 :]
        optional = rest[:1] == "?" and rest[1:2] not in ("?", "+")
        rest = rest[1:] if optional else rest
        if rest[:1] in ("*", "+", "{", "?") or (optional and not rest):
            return [regex]
        out = [x for p in inner for x in alternatives(p + rest, limit)]
        out += alternatives(rest, limit) if optional else []
    else:
        return [regex]
    return out if len(out) <= limit else [regex]


_LITERAL_CHAR = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'%-")


def literal_prefix(piece: str) -> tuple[str, str]:
    """``"cures? (?:...)"`` -> ``("cure", "s? (?:...)")``: the plain letters a piece starts with."""
    k = 0
    while k < len(piece) and piece[k] in _LITERAL_CHAR and piece[k + 1 : k + 2] not in "?*+{":
        k += 1
    return piece[:k], piece[k:]


def _trie(items: list[tuple[str, str]]) -> str:
    """One alternation of (literal prefix, rest) pairs, shared prefixes factored out, so the
    engine rejects a word after a letter or two instead of trying every piece in turn."""
    children: dict[str, list[tuple[str, str]]] = {}
    ends: list[str] = []
    for prefix, rest in items:
        if prefix:
            children.setdefault(prefix[0], []).append((prefix[1:], rest))
        else:
            ends.append(rest)
    alternatives = [re.escape(ch) + _trie(sub) for ch, sub in sorted(children.items())]
    return "(?:" + "|".join(alternatives + ends) + ")"


class PhraseScanner:
    """Every match of every slot (an alternation of fragments), overlapping ones included.

    One combined regex finds the word starts where some fragment matches: it steps from
    separator to separator and tries all fragments as one prefix tree, so a word is
    dropped after a letter or two. A per-first-letter regex with one named group per slot
    then reports, in a single call, every slot matching at that word start.
    """

    def __init__(self, slots: Sequence[Sequence[str]]) -> None:
        self.size = len(slots)
        self.kept: dict[str, list[tuple[int, int, int]]] = {}  # sentence -> its matches
        by_char: dict[str, dict[int, list[str]]] = {}
        anywhere: dict[int, list[str]] = {}
        for k, fragments in enumerate(slots):
            for piece in (p for f in fragments for p in alternatives(f)):
                chars = first_chars(piece)
                for ch in [""] if chars is None else chars:
                    (anywhere if ch == "" else by_char.setdefault(ch, {})).setdefault(k, []).append(
                        piece
                    )
        pieces = [p for kp in [*by_char.values(), anywhere] for ps in kp.values() for p in ps]
        trie = _trie([literal_prefix(p) for p in dict.fromkeys(pieces)])
        self.scan = re.compile(rf"[^\w-](?={trie}(?!\w))") if pieces else None
        # first letter -> (regex whose group g reports slot members[g - 1], members)
        self.at: dict[str, tuple[re.Pattern[str], list[int]]] = {}
        for ch, kp in [*by_char.items(), ("", {})]:
            members = {k: [*kp.get(k, []), *anywhere.get(k, [])] for k in range(len(slots))}
            members = {k: ps for k, ps in members.items() if ps}
            regex = re.compile(
                "".join(
                    f"(?:(?=(?P<s{k}>(?:{'|'.join(ps)})(?!\\w))))?" for k, ps in members.items()
                )
            )
            self.at[ch] = (regex, list(members))

    def find_pieces(
        self, text: str, pieces: Sequence[tuple[str, int, int]]
    ) -> list[tuple[int, int, int]]:
        """``find`` sentence by sentence, each sentence once while it is kept: no phrase
        pattern reaches across a sentence end (a test holds the two ways equal)."""
        if len(pieces) <= 1:
            return self.find(text)
        found: list[tuple[int, int, int]] = []
        kept = self.kept
        for n, (key, _, a) in enumerate(pieces):
            matches = kept.get(key)
            if matches is None:
                b = pieces[n + 1][2] if n + 1 < len(pieces) else len(text)
                matches = self.find(text[a:b])
                remember(kept, key, matches)
            if matches:  # most sentences hold no phrase: skip building an empty list
                found += [(k, s + a, e + a) for k, s, e in matches] if a else matches
        return found

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(slot, start, end) of every match in ``text``; one slot's matches never overlap."""
        if self.scan is None:
            return []
        padded = " " + text
        found: list[tuple[int, int, int]] = []
        last_end = [1] * self.size
        search, at, fallback, missing = self.scan.search, self.at, self.at[""], (-1, -1)
        pos = 0
        while (m := search(padded, pos)) is not None:
            pos = m.start() + 1
            regex, members = at.get(padded[pos], fallback)
            match = regex.match(padded, pos)
            assert match is not None  # every group is optional: it always matches
            regs = match.regs
            if regs.count(missing) == len(regs) - 2:  # the usual case: one slot, the last group
                group = match.lastindex or 0
                hits = [(members[group - 1], regs[group])]
            else:
                hits = [(k, span) for k, span in zip(members, regs[1:], strict=True)]
            for k, (start, end) in hits:
                if start > 0 and start >= last_end[k]:
                    found.append((k, start - 1, end - 1))
                    last_end[k] = end
        return found
