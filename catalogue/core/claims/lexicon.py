"""Word families and frames: how a rule's words are written in ``seed/rules.json``.

A text rule may carry, next to (or instead of) its regex ``patterns``:

``"lexicon"``: an object of word families, each a list of words or short phrases in plain
lower case, written in their base form::

    "lexicon": {"heal": ["heal", "cure", "mend", "get rid of"],
                "condition": ["arthritis", "tendinitis", "torn ligament"]}

Every word is reduced by the same light suffix rules as the listing's words (``stem``), so
"heal" also finds "heals", "healed" and "healing", and "ligament" finds "ligaments". A
hyphen counts as a space ("cure all" finds "cure-all"). A word of five letters or more is
also found with one letter missing or added ("immediatly", "relif"), and a word of six
letters or more also with one letter wrong or two letters swapped ("releif"); a
written form of five letters or more whose stem is shorter ("cures") is found with two
neighbouring letters swapped, the first and last kept ("cuers"), and one of seven letters
or more with one letter missing, the first kept ("buring": "burning"), unless the slip is
an ordinary word listed in ``NOT_SLIPS``. A word of six letters or more that ends in "in" and
is no entry is read as its "-ing" form when that is one ("scorchin", "burnin"), and one of
seven letters or more that ends in "icly" as its "-ically" form ("scientificly"). An entry
written ``*itis`` stands for any one word of five letters or more that ends so and is not an
entry or a slip of one ("bursitis", "dysplasia" from ``*plasia``): a family of conditions
then holds the ones no list names. Keep such suffixes to endings no everyday word has.

``"frames"``: an object of groups (the same group names the rule's ``kind`` gives meaning
to, e.g. ``visible``/``glow``), each a list of frames. A frame is a line of steps: family
names (or plain words, which stand for themselves) joined by operators:

- ``A B``: B right after A.
- ``A ..N B``: B after A with at most N words between (``..`` alone: 4).
- ``A ~N B``: A and B in either order, at most N words apart (``~`` alone: 4).

A frame never reaches across a clause edge (sentence end, ``;``, ``:``, a dash, a bracket),
a contrast word ("but", "however") or a negator in a gap, except that a question followed by
a short answer ("Relief? Right away."), a fragment of four words or fewer followed by its
sentence ("One session. Pain gone."; the words after a sentence's last colon count as its
fragment: "Club captain: 'One session. Pain gone.'"), a short head and a short verdict after
its colon ("Tennis elbow: sorted in a fortnight.") and two halves of a sentence joined by a
semicolon where the second names the product near its start ("tendinitis for a year; with
this it was gone") are read as one clause, and an answer runs on from its label ("A: Just
one."). Words joined by hyphens count as one in a gap ("instant, drug-free relief"), and a
run of one-word sentences reads as one phrase ("Every. Single. Time."). A hashtag in lower
case is read as the family words it is made of ("#nervehealing", see ``hashtags``). A
one-step frame (``A``) fires on every word of the family. Negation and questions are judged
afterwards, see ``scope``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_GAP = 4
MAX_ENTRY_WORDS = 8  # the frame matcher relies on it to look only near a step
MIN_SLIP_LENGTH = 5
SUFFIX_MARK = "*"  # "*itis": any word ending in "itis"
# Ordinary words one letter away from a trigger word: never read as a slip of it. Nor
# by a suffix entry: the "-opathy" words at the end name treatments, not conditions.
NOT_SLIPS = frozenset(
    [
        "homeopathy",
        "homoeopathy",
        "naturopathy",
        "allopathy",
        "osteopathy",
        "belief",
        "beliefs",
        "relied",
        "relies",
        "curls",
        "cures",
        "curse",
        "cured",
        "cares",
        "cored",
        "heals",
        "heels",
        "halls",
        "health",
        "wealth",
        "flowing",
        "blowing",
        "growing",
        "glowing",
        "slowing",
        "plowing",
        "allowed",
        "gloves",
        "cloves",
        "instant",
        "insane",
        "intern",  # not "intense"
        "interns",
        "intent",
        "intents",
        "mended",
        "minded",
        "tended",
        "rented",
        "lasted",
        "listed",
        "tested",
        "rested",
        "posted",
        "hosted",
        "doctor",
        "message",
        "messages",
        "messaged",
        "proven",
        "proved",
        "prove",
        "provin",
        "spine",
        "spice",
        "sprain",
        "strain",
        "strains",
        "grain",
        "brain",
        "train",
        "trains",
        "treats",
        "threat",
        "threats",
        "great",
        "greats",
        "heater",
        "header",
        "hearty",
        "treaty",
        "scalp",
        "scalps",
        "stopper",
        "fascia",  # the tissue round a muscle, not "facial"
        "fasciae",
        "fascias",
        # two neighbouring letters swapped away from a trigger's form ("pluses", "scared")
        "pulsed",
        "pulses",
        "pulsing",
        "sacred",
        "clams",
        "betas",
        "miens",
        "trons",
        # a letter missing from a trigger's long written form ("hating" from "heating")
        *"bating bluing boding booing casing coking cooing dicing doping duping fating".split(),
        *"feting gluing haling haring hating hiring huggins incing kiting laming liming".split(),
        *"pacing piking piling poling sapped sapping skiing soling sowing taring toking".split(),
        *"tuning turing waring".split(),
    ]
)

# "-ing" nouns that are not a verb's forms: "nerve endings" are not "end".
_NOUNS_IN_ING = frozenset({"ending", "endings"})

_STEP = re.compile(r"(\.\.|~)(\d*)")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def stem(word: str) -> str:
    """A light, rule-based stem: the same for a word's usual inflections.

    Consistency matters, not linguistics: lexicon words and listing words go through the
    same function, so "cure", "cures", "cured" and "curing" all become "cur".
    """
    w = word
    if w in _NOUNS_IN_ING:
        return w.removesuffix("s")
    w = w.removesuffix("'s")
    w = w.replace("'", "")
    n = len(w)
    if n <= 3:
        return w
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 4 and w.endswith("ied"):
        return w[:-3] + "y"
    if n > 5 and w.endswith("ing"):
        return _undouble(w[:-3])
    if n > 4 and w.endswith("ed") and not w.endswith("eed"):
        return _undouble(w[:-2])
    if n > 5 and w.endswith("ly"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
        if len(w) > 5 and w.endswith("ing"):  # "endings" -> "ending" -> "end", like "ending"
            return _undouble(w[:-3])
        if w.endswith("e") and w[-2:-1] in (
            "h",
            "x",
            "s",
        ):  # fixes -> fix, bushes -> bush
            w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _undouble(w: str) -> str:
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        return w[:-1]
    if len(w) > 3 and w.endswith("e"):
        return w[:-1]
    return w


def stems(phrase: str) -> tuple[str, ...]:
    """The stems of a lexicon entry, hyphens read as spaces."""
    return tuple(stem(w) for w in _WORD.findall(phrase.lower().replace("-", " ")))


def inflections(word: str) -> list[str]:
    """A base word's regular written forms: "cure" -> cure, cures, cured, curing."""
    if word.endswith("e"):
        return [word, word + "s", word + "d", word[:-1] + "ing"]
    if word.endswith(("s", "x", "sh", "ch")):
        return [word, word + "es", word + "ed", word + "ing"]
    return [word, word + "s", word + "ed", word + "ing"]


def deletions(word: str) -> list[str]:
    return [word[:k] + word[k + 1 :] for k in range(len(word))]


@dataclass(frozen=True, slots=True)
class Step:
    family: str
    gap: int  # most words allowed between the previous step and this one (-1: first step)
    either: bool  # this step and the previous one may come in either order


Frame = tuple[Step, ...]


def parse_frame(text: str) -> Frame:
    """``"heal ..3 condition"`` -> steps; ValueError when it is not a frame."""
    parts = text.split()
    if not parts:
        raise ValueError("a frame needs at least one family or word")
    steps: list[Step] = []
    gap, either = 0, False
    expect_word = True
    for part in parts:
        op = _STEP.fullmatch(part)
        if op:
            if expect_word or not steps:
                raise ValueError(f"frame {text!r}: an operator must stand between two steps")
            gap = int(op.group(2)) if op.group(2) else DEFAULT_GAP
            either = op.group(1) == "~"
            expect_word = True
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_'-]*", part):
            raise ValueError(f"frame {text!r}: {part!r} is not a family name or a word")
        if steps and either and len(steps) > 1:
            raise ValueError(f"frame {text!r}: '~' joins two steps only")
        steps.append(Step(part, -1 if not steps else gap, either))
        gap, either, expect_word = 0, False, False
    if expect_word:
        raise ValueError(f"frame {text!r} ends with an operator")
    return tuple(steps)


def lexicon_problem(lexicon: Mapping[str, Sequence[str]], frames: Sequence[str]) -> str | None:
    """What is wrong with a rule's lexicon and frames, or None."""
    for name, words in lexicon.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            return f"family name {name!r} must be lower-case letters, digits and '_'"
        for word in words:
            if word.startswith(SUFFIX_MARK):
                if not re.fullmatch(r"\*[a-z]{3,}", word):
                    return f"family {name!r}: a suffix entry is '*' and three letters or more"
                continue
            if not stems(word):
                return f"family {name!r}: {word!r} has no word in it"
            if len(stems(word)) > MAX_ENTRY_WORDS:
                return f"family {name!r}: {word!r} is longer than {MAX_ENTRY_WORDS} words"
            if word != word.lower():
                return f"family {name!r}: write {word!r} in lower case"
    used: set[str] = set()
    for frame in frames:
        try:
            steps = parse_frame(frame)
        except ValueError as exc:
            return str(exc)
        used.update(s.family for s in steps)
    unused = sorted(set(lexicon) - used)
    if unused:
        return f"famil{'y' if len(unused) == 1 else 'ies'} {unused} used by no frame"
    return None
