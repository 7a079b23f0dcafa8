"""Which text rules a listing's words *shape* a claim for, before anything clears it.

The corpus needs cases that must fire and cases that look like a claim but must not
("tricky" ones: negated, asked and answered no, another sense of the word, a record that
makes it true). A must-not case is tricky for a rule when the rule's patterns or frames
match its words as written, before negation, questions, excuse phrases and the device
record are weighed. ``scripts/eval_claims.py`` prints the counts per rule and a test keeps
them above the floor the corpus promises.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from catalogue.core.claims.frames import FrameIndex, RuleWords
from catalogue.core.claims.rules import TEXT_KINDS, Rule
from catalogue.core.claims.text import PhraseScanner, expand_fragment, matching_text
from catalogue.core.claims.tokens import tokenize


class _Shapes:
    """Every text rule's patterns and frames, all groups, for any record."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.slots: list[str] = []
        fragments: list[list[str]] = []
        words: list[RuleWords | None] = []
        for rule in rules:
            text_rule = rule.kind in TEXT_KINDS
            for _, group in rule.patterns if text_rule else ():
                self.slots.append(rule.id)
                fragments.append([expand_fragment(f, dict(rule.terms)) for f in group])
            words.append(
                RuleWords(dict(rule.lexicon), dict(rule.frames))
                if text_rule and rule.frames
                else None
            )
        self.ids = [r.id for r in rules]
        self.scanner = PhraseScanner(fragments)
        self.frames = FrameIndex(words)


@lru_cache(maxsize=4)
def _shapes(rules: tuple[Rule, ...]) -> _Shapes:
    return _Shapes(rules)


def claim_shapes(description: str, rules: Sequence[Rule]) -> set[str]:
    """Ids of the text rules whose patterns or frames match the words of ``description``."""
    shapes = _shapes(tuple(rules))
    text = matching_text(description)
    found = {shapes.slots[k] for k, _, _ in shapes.scanner.find(text)}
    tokens = tokenize(text, description)
    hits = shapes.frames.occurrences(tokens)
    found |= {shapes.ids[i] for i, _, _, _ in shapes.frames.match(tokens, hits)}
    return found


__all__ = ["claim_shapes"]
