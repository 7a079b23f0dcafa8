"""Copy a listing shows as rejected: a style guide's or a compliance rewrite's old words.

A listing may hold the copy it replaces or forbids, laid out so the reader sees which is
which; what is shown as rejected is no claim, what is kept as the new version still is:

- struck through: the text between "~~" and "~~" ("~~Cures arthritis~~ Supports comfort");
  an unclosed "~~" strikes to the end of its line;
- under an old label at a line's start ("Old:", "Before:", "Original (rejected):", "Was:",
  "OLD ➜"): up to the new label that must follow ("New:", "After:", "Revised:", "Kept:",
  "Now:"), else nothing (a "Before:" with no "After:" is an instruction, not old copy);
- under a label that rejects by itself ("Struck:", "Rejected:", "Removed:"), or a heading
  of what not to say ("DON'T say:", "Never:", "Avoid:", "Banned phrases:", "Words we
  ban:", "NOT approved:", "✘"), or of what a profile's writer will not stand
  ("Dealbreakers:", "Red flags:"): the rest of its line, or, when the line ends with the
  heading, the items on the lines after it, up to a blank line, a heading of what to say
  ("DO:", "Approved:", "✔"), a new label, or (for a bulleted list) a line with no bullet;
- in a rewrite table's old column: a header naming an old column and a new one ("| Old |
  New |", "| Don't say | Say instead |") makes every cell under the old one rejected.

A label is read only where it stands alone before its mark: "Old knees? New life: ...",
"Don't wait: ..." and "Never say never: ..." label nothing. ``scope.holds`` asks
``struck``; ``disowned.may_deny`` keeps a listing holding any such mark (``marked``) out of
the kept-sentence stores, since a line's verdict depends on the label above it, and so no
sentence holding a mark is ever kept.
"""

from __future__ import annotations

import re

from catalogue.core.claims.columns import column_cells, touches
from catalogue.core.claims.tokens import Tokens


def _any(*words: str) -> str:
    """A group matching any of the alternatives (a space in one matches any run of them)."""
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in words) + ")"


# bullets, numbers, markdown and crosses before a label
_PREFIX = r"[ \t>*#_•·▪◦‣\-–—\[(❌🚫⛔✘✗×]*(?:\d{1,2}[.)][ \t]+)?[ \t*_]*"
_NOUN = _any(
    *(
        r"\s+" + w
        for w in "copy version text lines? wording claims? headline tagline phrases?"
        " phrasing words? terms? language description draft".split()
    ),
    "",
)
_PAREN = r"(?:\s*\([^)\n]{0,30}\))?"
_TAIL = r"[ \t*_)\]]*"  # markdown closing the label ("**Old:**" closes after the colon)
_ARROW = _any(":", "➜", "→", "->", "=>", "⇒", r"\s[-–—]\s")
# labels of old copy, paired with a new label after them
_OLD = _any("old", "before", "original", "previous", "was")
# labels of new copy: they end an old label's or a heading's reach
_NEW = _any(
    *"new after revised rewrite rewritten kept keep now updated approved final replacement"
    " corrected compliant fixed better instead".split(),
    "use instead",
    "say instead",
    "use",
    "say",
    "what stays",
    "what remains",
    r"what (?:we|they) kept",
    "stays",
    "remaining",
)
# headings of what not to say: a negated verb with a few words of what ("DON'T say",
# "Never use these phrases", "Avoid"), a word that rejects ("Banned phrases", "Struck",
# "Rejected"), the words the brand bans ("Words we ban", "Phrases we never use") or
# does not approve ("NOT approved", "Claims not allowed")
_WHAT = _any(
    *"say use write claim mention promise print publish imply suggest state call saying"
    " using writing claiming these this it the following words? phrases? claims? terms?"
    " copy language lines? ever in listings ads".split()
)
_NEGATED = _any("don'?t", "do not", "never", "avoid", "please avoid", "please don'?t")
_REJECTED = _any(
    *"rejected struck strike removed deleted scrapped dropped banned forbidden prohibited"
    " unapproved disallowed off[- ]limits no[- ]go".split(),
    "struck out",
)
# a profile's list of what its writer will not stand: "Dealbreakers:", "Red flags:"
_SPURNED = _any("deal[- ]?breakers?", "red flags?", "turn[- ]?offs?", "pet peeves?")
_WORDS = _any(*"words? phrases? claims? terms? language copy lines? wording".split())
_NEGATORS = _any(
    *"never don'?t can'?t cannot mustn'?t shouldn'?t not".split(),
    "do not",
    "must not",
    "should not",
)
_BANNING = _any(
    *"ban avoid reject drop cut retire".split(),
    _NEGATORS + r"\s+" + _any(*"use say make write print claim".split()),
)
_REJECTING = _any(
    _NEGATED + r"(?:\s+" + _WHAT + r"){0,3}",
    _REJECTED + _NOUN,
    r"what\s+not\s+to(?:\s+" + _WHAT + r"){1,3}",
    _WORDS + r"\s+" + _any("we", "to", "you") + r"\s+" + _BANNING,
    f"(?:{_WORDS}" + r"\s+)?not\s+" + _any(*"approved allowed ok okay permitted".split()),
    _WORDS + r"\s+" + _REJECTED,
    _SPURNED,
)
_CROSSES = r"[ \t✘✗❌🚫⛔×*_)\]]*"
# a label or heading at a line's start: the old label needs its mark, a heading may end
# its line ("DON'T ✘"), and a line of crosses alone is a heading too
_HEAD = re.compile(
    f"(?m)^{_PREFIX}"
    + _any(
        f"(?P<old>{_OLD}{_NOUN}{_PAREN}){_TAIL}{_any(_ARROW, '~~')}",
        f"(?P<reject>{_REJECTING}){_PAREN}{_CROSSES}{_any(_ARROW, '$')}",
        r"(?<=[✘✗❌🚫⛔×])(?P<crosses>)[ \t]*(?::|$)",
    )
)
# a label of rejected words after a sentence in running text: "... is done. Lines removed:
# 'instant relief', ... What stays: ..." (to its line's end or the new label), or of what a
# profile's writer will not stand ("... Looking for: X. Dealbreakers: ...")
_MID_HEAD = re.compile(
    r"[.!?] "
    + _any(_WORDS + r"\s+" + _REJECTED, _REJECTED + r"\s+" + _WORDS, _SPURNED)
    + _PAREN
    + ":"
)
# a new label: at a line's start, or after a space with its mark ("... Now: $49")
_NEW_LABEL = re.compile(f"(?m)(?:^{_PREFIX}|(?<=\\s)){_NEW}{_NOUN}{_PAREN}{_TAIL}{_ARROW}")
# a heading of what to say, or an item marked as approved, at a line's start
_SAYING = _any(
    r"do(?:\s+(?:say|use|write))?",
    *"yes approved allowed ok okay preferred recommended".split(),
    r"words\s+we\s+(?:love|like|use|prefer)",
    "what to say",
)
_DO = re.compile(
    f"(?m)^[ \\t>*#_•·\\-–—]*(?:[✔✅☑✓]|{_SAYING}{_NOUN}{_PAREN}[ \\t*_✔✅☑✓)\\]]*(?::|$))"
)
_BULLET = re.compile(r"[ \t]*(?:[•·▪◦‣*✘✗❌🚫⛔×>]|[-–—]\s|\d{1,2}[.)]\s)")
_TILDES = re.compile(r"~~(?:[^~\n]|~(?!~))+(?:~~|$)", re.M)
_OLD_REACH = 800  # most characters between an old label and its new one
# a rewrite table's header cells: the old column and the new one
_OLD_CELL = re.compile(
    _any(
        *"old before original rejected previous was struck removed banned avoid".split(),
        "instead of",
        r"don'?t (?:say|use)",
        r"do not (?:say|use)",
        "not approved",
    )
    + _NOUN
    + _PAREN
)
_NEW_CELL = re.compile(
    _any(
        *"new after revised rewrite rewritten kept now updated approved final replacement"
        " compliant use say".split(),
        "use instead",
        "say instead",
        "do say",
        "do use",
    )
    + _NOUN
    + _PAREN
)

_kept: list[tuple[str, list[tuple[int, int]]]] = [("", [])]  # the last listing's spans


def _header(line: str) -> list[bool] | None:
    """Which cells of a table's first line head an old column, when one heads an old
    column and another a new one; else None."""
    cells = [c.strip(" \t*_`") for c in line.split("|")]
    old = [_OLD_CELL.fullmatch(c) is not None for c in cells]
    if any(old) and any(_NEW_CELL.fullmatch(c) is not None for c in cells):
        return old
    return None


def marked(text: str) -> bool:
    """Whether the listing holds a mark of rejected copy (cheap: most hold none)."""
    if "~~" in text or _HEAD.search(text) is not None:
        return True
    if ":" in text and _MID_HEAD.search(text) is not None:
        return True
    if "|" not in text:
        return False
    return any("|" in line and _header(line) is not None for line in text.split("\n"))


def _list_end(text: str, pos: int) -> int:
    """Where the items after a heading ending its line at ``pos`` end (see the module's
    text)."""
    n, items, bulleted = len(text), 0, False
    while pos < n:
        eol = text.find("\n", pos + 1)
        eol = n if eol < 0 else eol
        line = text[pos + 1 : eol] if text[pos] == "\n" else text[pos:eol]
        start = eol - len(line)
        if not line.strip():
            if items:
                return pos
        elif (
            _DO.match(text, start) is not None
            or _HEAD.match(text, start) is not None
            or _NEW_LABEL.match(text, start) is not None
        ):
            return pos
        else:
            bullet = _BULLET.match(line) is not None
            if not items:
                bulleted = bullet
            elif bulleted and not bullet:
                return pos
            items += 1
        pos = eol
    return n


def _spans(text: str) -> list[tuple[int, int]]:
    """The character spans of the listing's rejected copy, in order."""
    out: list[tuple[int, int]] = []
    if "~~" in text:
        out += [m.span() for m in _TILDES.finditer(text)]
    for m in _HEAD.finditer(text):
        at = m.end()
        eol = text.find("\n", at)
        eol = len(text) if eol < 0 else eol
        if m.group("old") is not None:
            new = _NEW_LABEL.search(text, at, at + _OLD_REACH)
            if new is not None:
                out.append((at, new.start()))
        elif text[at:eol].strip(" \t✘✗❌🚫⛔×*_~"):
            new = _NEW_LABEL.search(text, at, eol)
            out.append((at, eol if new is None else new.start()))
        else:
            out.append((at, _list_end(text, eol)))
    for m in _MID_HEAD.finditer(text) if ":" in text else ():
        at = m.end()
        eol = text.find("\n", at)
        eol = len(text) if eol < 0 else eol
        new = _NEW_LABEL.search(text, at, eol)
        out.append((at, eol if new is None else new.start()))
    if "|" in text and "\n" in text:
        out += column_cells(text, _header)
    out.sort()
    return out


def spans(tokens: Tokens) -> list[tuple[int, int]]:
    """The listing's rejected spans (see ``_spans``), worked out once per listing."""
    text = tokens.text
    if _kept[0][0] is not text:
        _kept[0] = (text, _spans(text) if marked(text) else [])
    return _kept[0][1]


def struck(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j starts or ends in copy shown as rejected."""
    return touches(spans(tokens), tokens, i, j)
