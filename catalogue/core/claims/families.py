"""A rule's word families as regexes over lower-case text, for the evaluators.

The evaluators look back from a claim for a word of a family ("what the pronoun stands
for", the question a claim answers): each family is compiled once into one regex whose
phrases share their first words as a tree, so hundreds of phrases are tried a word at a
time.
"""

from __future__ import annotations

import re
from functools import lru_cache

from catalogue.core.claims.pieces import remember
from catalogue.core.claims.rules import Rule

# (id of a rule, family) -> the rule, its family's regex
_family_kept: dict[tuple[int, str], tuple[Rule, re.Pattern[str]]] = {}


def family_words(rule: Rule, family: str) -> re.Pattern[str]:
    """A family of the rule as one regex over lower-case text (a hyphen or no space may
    stand for a space, a plural "s" may follow), kept per rule object: hashing a rule
    would cost more."""
    kept = _family_kept.get((id(rule), family))
    if kept is not None and kept[0] is rule:
        return kept[1]
    found = words_regex(dict(rule.lexicon).get(family, ()))
    remember(_family_kept, (id(rule), family), (rule, found), 32)
    return found


@lru_cache(maxsize=64)
def words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """Words as one regex over lower-case text (a hyphen or no space may stand for a space,
    a plural "s" may follow). The phrases share their first words as a tree ("when will i
    notice", "when will my skin look"): a family of hundreds of questions is tried a word
    at a time, not phrase after phrase."""
    tree: _WordTree = {}
    for entry in words:
        node = tree
        for word in entry.split():
            node = node.setdefault(word, {})
        node[""] = {}
    body = _tree_regex(tree) if tree else ""
    return re.compile(rf"(?<![\w-]){body}(?:e?s)?(?![\w-])" if body else r"(?!)")


_WordTree = dict[str, "_WordTree"]  # word -> the words that may follow ("": a phrase ends)


def _tree_regex(node: _WordTree) -> str:
    """The words that may follow ``node`` as one regex group (see ``words_regex``)."""
    parts = []
    for word, after in node.items():
        if not word:
            continue
        rest = [w for w in after if w]
        if not rest:
            parts.append(re.escape(word))
        else:
            tail = rf"[\s-]?{_tree_regex(after)}"
            parts.append(re.escape(word) + (f"(?:{tail})?" if "" in after else tail))
    return "(?:" + "|".join(parts) + ")"
