"""Riddles and crossword clues whose answer completes the claim: the clue holds a gap the
answer fills ("Crossword: 'What this 850 nm band does to tired nerves' (7) Answer:
REWIRES" says the band rewires nerves). ``reading`` joins a clue to its answer into one
plain sentence, which ``check`` reads as a listing of its own; its findings stand on the
answer. An answer that turns the clue away ("Answer: not this wrap") leaves the clue's
words no claim of the product (``turned_away``).

The clue's shapes, after its wh-word:
- "What X does to Y" with a verb for an answer: "X ANSWER Y";
- "What X VERB — a bright red one": the answer is the "one", "X VERB a bright red ANSWER";
- "What X VERB" (X opens with a determiner, a possessive or a number): "X VERB ANSWER";
- "What VERB ..." (the wh-word is the subject): "ANSWER VERB ...";
- a blank ("it's ___ overnight"), any wh-word or none: the answer in the blank.
The answer is read up to its first stop ("our 850 nm mat. Sleep well": "our 850 nm mat").
"""

from __future__ import annotations

import re

from catalogue.core.claims.framing import OTHER_PARTIES, WE

# a clue under a riddle's or crossword's label, then its answer on a line of its own
_RIDDLE = re.compile(
    r"(?im)^[ \t]*(?:riddle|crossword|clue|puzzle|brain ?teaser)\b[^:\n]{0,30}:[ \t]*"
    r"(?P<clue>[^\n]{3,300}?)[ \t]*\n+[ \t]*(?P<label>answer|solution)[ \t]*:[ \t]*"
    r"(?P<answer>[^\n]{1,120})"
)
_ENUMERATION = re.compile(r"\s*\(\d+(?:[,-]\d+)*\)\s*$")  # "(4)", "(3,4)"
_QUOTES = "'\"‘’“” "
_WH = frozenset({"what", "who", "which"})
# words that open a noun phrase: "What the 850 nm diodes throw out" asks for an object
_NOUN_OPENERS = frozenset(
    "the this that these those our your my its their his her a an every each".split()
)
_DOES_TO = re.compile(r"^(?P<x>.+?)\s+(?:does|do|did)\s+(?:to|for)\s+(?P<y>.+)$", re.I)
_ONE_TAIL = re.compile(
    r"^(?P<x>.+?)\s*(?:[—–-]+|,)\s*(?P<det>an?|the)\s+(?P<adj>(?:[\w-]+\s+){0,3}?)one$", re.I
)
_BLANK = re.compile(r"_{2,}")  # "it's ___ overnight"
# where an answer's head ends: "our 850 nm mat. Sleep well", "this wrap — it ..."
_HEAD_END = re.compile(r"\s*(?:[.!?;:—–(]|\s-\s|,\s)")
# "not this wrap", "never ours", "none of these", "no one": the answer points away (but "no
# scalpel" is an answer of its own)
_TURNED_AWAY = frozenset("not never none nothing neither nobody".split())


def _clean(clue: str) -> str:
    clue = _ENUMERATION.sub("", clue).strip(_QUOTES)
    return clue.rstrip("?!. ").strip(_QUOTES)


def riddle(description: str) -> tuple[str, str, int, int, int] | None:
    """The first riddle: its clue, its answer, where the clue starts, and where the answer's
    label starts and the answer ends in ``description``; None when there is none."""
    if ":" not in description:
        return None
    m = _RIDDLE.search(description)
    if m is None:
        return None
    answer = m["answer"].strip().rstrip(".!")
    return (
        _clean(m["clue"]),
        answer,
        m.start("clue"),
        m.start("label"),
        m.start("answer") + len(answer),
    )


def reading(clue: str, answer: str) -> str | None:
    """The clue with its gap filled by the answer (see the module's text), or None when the
    clue asks nothing an answer fills."""
    answer = _HEAD_END.split(answer, maxsplit=1)[0].strip()
    if not answer or turned_away(answer):
        return None
    if _BLANK.search(clue):  # "it's ___ overnight": the answer fills the blank
        return _BLANK.sub(answer, clue, count=1) + "."
    words = clue.split()
    if len(words) < 2 or words[0].lower() not in _WH:
        return None
    rest = " ".join(words[1:])
    done = _DOES_TO.match(rest)
    if done and len(answer.split()) == 1:
        return f"{done['x']} {answer} {done['y']}."
    first = words[1].lower()
    if first in _NOUN_OPENERS or first[:1].isdigit():
        tail = _ONE_TAIL.match(rest)
        if tail:
            return f"{tail['x']} {tail['det']} {tail['adj']}{answer}."
        return f"{rest} {answer}."
    return f"{answer} {rest}."


def turned_away(answer: str) -> bool:
    """Whether the answer turns the clue away from the product: "not this wrap", "No one",
    or names others and not the writer ("The other guys", "rival brands")."""
    head = _HEAD_END.split(answer, maxsplit=1)[0]
    said = [w.strip(".,!—–-").lower() for w in head.split()]
    if not said:
        return False
    if said[0] in _TURNED_AWAY or said[:2] == ["no", "one"]:
        return True
    return not OTHER_PARTIES.isdisjoint(said) and WE.isdisjoint(said)
