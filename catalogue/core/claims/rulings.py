"""Claims judged in an adjudication: the claim at issue of a ruling, and a complainant's reading.

An advertising-standards ruling quotes the ad it judges and tells what the complainant
read into it, then gives its verdict. Neither is a claim of the listing:

- upheld ("Upheld.", "Complaint upheld", "the claim breached the code", "the advertiser
  removed the line"): the ad's words
  are judged wrong, so a claim in the ruling's own sentences (one quoted, or one in a
  sentence naming the ruling's parties and acts: the complaint, the ad, the advertiser's
  argument, the Authority's finding) is none;
- not upheld: the ad's words stand (a claim in them, quoted, still fires), but what the
  complaint read into them is none: a claim after a verb of reading ("implied", "meant",
  "thought"), outside quotation marks, in a sentence naming the complaint or complainant.

Only a listing that names the ruling ("ruling", "adjudication", "complaint", "the
Authority") is read so, and only before its first sentence that gives the copy as it now
stands ("Amended listing:", "Listing as reviewed:", "The page now says: ..."): that copy is
the listing's own, and its claims fire.
"""

from __future__ import annotations

import re

from catalogue.core.claims.negators import plain
from catalogue.core.claims.sentences import sentence_bounds
from catalogue.core.claims.tokens import SENTENCE, Tokens

# what names a ruling ("panel" is also the product: "the panel penetrates deep")
_FRAMES = frozenset(
    "ruling rulings adjudication adjudications complaint complaints complainant complainants"
    " authority objected".split()
)
_UPHELD = "upheld"
# "... breached the code", "a breach of the code"
_BREACHING = frozenset({"breached", "breach", "breaches", "breaching"})
_CODES = frozenset({"code", "codes", "rules", "cap"})
# the ad's words taken down, as the complaint asked: "OrthoRay removed the line"
_REMOVING = frozenset("removed withdrew withdrawn dropped pulled".split())
_LINES = frozenset("line lines claim claims phrase wording words".split())
# the copy as it now stands: "Amended listing", "Listing as reviewed", "now says"
_STANDING = frozenset("amended reviewed revised updated".split())
_NOW_SAYING = frozenset("says reads states calls".split())
# a ruling's parties and acts: what a sentence of the ruling names
_ROLES = _FRAMES | frozenset(
    "ad ads advert adverts advertiser advertisers advertising claim claims caption captioned"
    " complained argued argues contended responded replied response accepted considered"
    " concluded noted ruled finding outcome issue challenged challenge".split()
)
# what names the complaint's side of it
_COMPLAINING = frozenset(
    "complaint complaints complainant complainants complained objected reader readers"
    " viewer viewers".split()
)
# verbs of reading something into the ad's words: "implied a cure", "meant FDA approved"
_READING = frozenset(
    "implied implies imply implying meant means mean suggested suggests thought believed"
    " understood read".split()
)
# a quotation mark, not an apostrophe ("OrthoRay's", "don't")
_QUOTE = re.compile(
    r"[\"\u201c\u201d\u201e\u00ab\u00bb]|(?<!\w)['\u2018\u2019]|['\u2018\u2019](?!\w)"
)
CUES = frozenset({_UPHELD}) | _BREACHING | _REMOVING


def _verdict(words: list[str]) -> str:
    """ "upheld", "not" (not upheld) or "" for the listing's words."""
    found = ""
    for k, w in enumerate(words):
        if w == _UPHELD:
            if k and plain(words[k - 1]) == "not":
                found = found or "not"
            else:
                return "upheld"  # "upheld in part" upholds too
        elif _taken_down(words, k):
            return "upheld"
    return found


def _taken_down(words: list[str], k: int) -> bool:
    """Whether word k opens "breached the code" or "removed the line"."""
    w = words[k]
    if w in _BREACHING:
        return not _CODES.isdisjoint(words[k + 1 : k + 4])
    return w in _REMOVING and not _LINES.isdisjoint(words[k + 1 : k + 3])


def _standing(tokens: Tokens) -> int:
    """The first word of the first sentence giving the copy as it now stands, or the end."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    for k, w in enumerate(words):
        if w in _STANDING or (w == "now" and k + 1 < n and words[k + 1] in _NOW_SAYING):
            while k > 0 and edge[k] < SENTENCE:
                k -= 1
            return k
    return n


def _quoted(tokens: Tokens, a: int, b: int) -> bool:
    """Whether the sentence on words a..b stands in quotation marks, or holds some."""
    text, n = tokens.original, len(tokens.words)
    lo = tokens.end(a - 1) if a else 0
    hi = tokens.starts[b + 1] if b + 1 < n else len(text)
    return _QUOTE.search(text, lo, hi) is not None


def ruled_out(tokens: Tokens, i: int, j: int) -> bool:
    """Whether the claim on words i..j is one a ruling judges, not the listing's (see the
    module's text)."""
    words = tokens.words
    if _FRAMES.isdisjoint(words) or i >= _standing(tokens):
        return False
    verdict = _verdict(words)
    if not verdict:
        return False
    a, b = sentence_bounds(tokens, i)
    own = words[a : b + 1]
    if verdict == "upheld":
        return not _ROLES.isdisjoint(own) or _quoted(tokens, a, b)
    return (
        not _COMPLAINING.isdisjoint(own)
        and not _READING.isdisjoint(words[a : j + 1])
        and not _in_quotes(tokens, a, j)
    )


def _in_quotes(tokens: Tokens, a: int, j: int) -> bool:
    """Whether word j (in the sentence opening at word a) stands inside quotation marks:
    the ad's own words, which a complaint not upheld leaves standing."""
    lo = tokens.end(a - 1) if a else 0
    return len(_QUOTE.findall(tokens.original, lo, tokens.starts[j])) % 2 == 1


def may_rule(own: Tokens) -> bool:
    """Whether a sentence (its own tokens) holds a verdict word: such a listing is read
    whole (see ``disowned.may_deny``), the verdict reading the sentences before it."""
    return not CUES.isdisjoint(own.words)
