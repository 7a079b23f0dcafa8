"""A thing the listing likens a body part to, then mends under the likeness's name.

"When a nerve gets hurt, it's like a broken string. Our light is like glue: it fixes the
string so it works again." The listing says what the nerve is like (a string, a wire, a
frayed cable) and then mends that: the repair is said of the nerve. A rule opts in with
``params.likened``: the family of what is likened and the family of the mending verbs
(nerve-repair: ``["nerve", "repair"]``); the claims it finds come in group ``likened``.

- The likeness: a word of the first family, then "like" within ``LIKE_REACH`` words in its
  sentence ("a nerve is a bit like ...", "nerves are like ..."), an optional article, and a
  phrase of up to three words that ends at an edge or before a linking word ("like a
  broken string.", "like a wire in a wall"); its last word is the likeness ("string").
- The mending: within ``MEND_REACH`` words after the likeness, a one-word entry of the
  second family in any of its forms ("fixes", "mended"), then up to two words ("the",
  "that broken") and the likeness itself (any number: "string", "strings"). The claim runs
  from the verb to the likeness, and ``scope.holds`` reads it as any other ("it doesn't
  fix the string" is none).

A likeness reads the sentences after it, so a listing with a word of the first family and
"like" is read whole (``may_liken``, a plain substring test on the listing): no sentence
of it is kept. Limits: only "like" (not "think of a nerve as a wire"), only an active verb
before the likeness ("the string is fixed" is not read), and the likeness must be a word
of its own after the article (not "a nerve is like glue": glue mends nothing here).
"""

from __future__ import annotations

from collections.abc import Sequence

from catalogue.core.claims.lexicon import stem
from catalogue.core.claims.rules import Rule
from catalogue.core.claims.tokens import COMMA, SENTENCE, Tokens

LIKE_REACH = 8  # words from the likened word to "like"
MEND_REACH = 30  # words from the likeness to the mending verb
GROUP = "likened"
_ARTICLES = frozenset("a an the some".split())
# what ends a likeness's phrase before an edge: "like a wire in a wall", "like a string that"
_LINKS = frozenset(
    "in on of that which who with so and or but when where because if to for from at by before"
    " after than".split()
)
_BETWEEN = 2  # words between the mending verb and the likeness ("the", "that broken")

# rule -> (first words of the likened family, stems of the mending verbs), or None
_Words = tuple[frozenset[str], frozenset[str]] | None
_families: dict[Rule, _Words] = {}


def _words(rule: Rule) -> _Words:
    if rule in _families:
        return _families[rule]
    names = rule.words("likened", ())
    lexicon = dict(rule.lexicon)
    out: _Words = None
    if len(names) == 2 and names[0] in lexicon and names[1] in lexicon:
        likened = frozenset(e.split()[0] for e in lexicon[names[0]] if e)
        likened |= {w + "s" for w in likened}
        verbs = frozenset(stem(e) for e in lexicon[names[1]] if e and " " not in e)
        out = (likened, verbs)
    _families[rule] = out
    return out


def likened_rules(rules: Sequence[Rule]) -> list[tuple[int, frozenset[str], frozenset[str]]]:
    """The rules that read likenesses: (index, likened words, stems of mending verbs)."""
    out = []
    for i, rule in enumerate(rules):
        found = _words(rule)
        if found is not None:
            out.append((i, *found))
    return out


def may_liken(text: str, likened: frozenset[str]) -> bool:
    """Whether the listing's matching text may hold a likeness (see the module's text)."""
    return " like " in text and any(map(text.__contains__, likened))


def _likeness(tokens: Tokens, k: int) -> tuple[str, int] | None:
    """The stem of the likeness after "like" at word k, and its word."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    m = k + 1
    if m < n and edge[m] < COMMA and words[m] in _ARTICLES:
        m += 1
    last = -1
    for p in range(m, min(n, m + 3)):
        if edge[p] >= COMMA or words[p] in _LINKS:
            break
        last = p
    if last < 0 or words[last] in _ARTICLES:
        return None
    return stem(words[last]), last


def find(
    tokens: Tokens, rule_index: int, likened: frozenset[str], verbs: frozenset[str]
) -> list[tuple[int, int, int]]:
    """(rule index, first word, last word) of each mending of a likeness."""
    words, edge, n = tokens.words, tokens.edge, len(tokens.words)
    out: list[tuple[int, int, int]] = []
    for k in range(n):
        if words[k] not in likened:
            continue
        for m in range(k + 1, min(n, k + LIKE_REACH + 1)):
            if edge[m] >= SENTENCE:
                break
            if words[m] != "like":
                continue
            found = _likeness(tokens, m)
            if found is None:
                break
            target, at = found
            for v in range(at + 1, min(n, at + MEND_REACH + 1)):
                if stem(words[v]) not in verbs:
                    continue
                for t in range(v + 1, min(n, v + _BETWEEN + 2)):
                    if edge[t] >= COMMA:
                        break
                    if stem(words[t]) == target:
                        out.append((rule_index, v, t))
                        break
            break
    return out
