"""The claim rules compiled once per rules tuple: one phrase scanner and one frame index per
kind of device record, the excuse phrases, and the cues that say where an excuse may start.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from catalogue.core.bands import Area, Band, bands_present, light_type
from catalogue.core.claims.frames import FrameIndex, RuleWords
from catalogue.core.claims.kept import Kept
from catalogue.core.claims.likened import likened_rules
from catalogue.core.claims.rules import TEXT_KINDS, ClaimFinding, Rule
from catalogue.core.claims.stops import STOPS, look_back, stays_in_sentence
from catalogue.core.claims.text import (
    PhraseScanner,
    alternatives,
    closing,
    expand_fragment,
    literal_prefix,
)
from catalogue.core.claims.wavelengths import wavelength_reader

PLAIN_STOPS = STOPS.replace("?", "")  # the stops of a listing with no "?" in it
Slot = tuple[str, int, str]  # (role, rule index, group); role: claim, unless or after
RecordKey = tuple[str, frozenset[str], frozenset[str]]  # light type, bands present, all bands


@dataclass(frozen=True, slots=True)
class Plan:
    """What to look for in the listing of one kind of device record."""

    scanner: PhraseScanner
    slots: list[Slot]
    frames: FrameIndex
    todo: list[tuple[int, Rule]]


def _needed(
    rule: Rule, group: str, light: str, present: frozenset[str], every: frozenset[str]
) -> bool:
    """Whether a pattern group can lead to a finding for a device with these bands."""
    if light not in rule.applies_to:
        return False
    if rule.kind == "visible" and group == "glow":  # "other": maybe 940 nm alone
        return light in ("nir", "other")
    if rule.kind == "visible" and group in ("answer", "pronoun"):
        return light in ("nir", "combined")
    if rule.kind == "band":
        return not (every if group in ("both", "pair") else {group}) <= present
    return True


class Compiled:
    """The rules' patterns compiled once; one phrase scanner per kind of device record.

    Every scanner holds the claim patterns that can fire for that record (a combined
    device cannot break the band rule, so its band words are not even looked for), the
    rules' ``unless`` and ``ignore_after`` phrases, the negators and the contrast words.
    """

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.likened = likened_rules(rules)  # rules that read likenesses (``likened``)
        self.expanded = [
            {g: [expand_fragment(f, dict(r.terms)) for f in fs] for g, fs in r.patterns}
            for r in rules
        ]
        # Excuses are looked for only around a claim, so clean text never pays for them.
        self.unless = [_alternation(r.unless, r, r"(?!\w)") for r in rules]
        self.cues = [_cues(r.unless, r) for r in rules]
        # per rule: cue -> the excuse regex of only the phrases that may start with it
        self.unless_by_cue = [_by_cue(r.unless, r, r"(?!\w)") for r in rules]
        # per rule: sentence -> (start, end) of each cue in it, offsets into the sentence
        self.cue_spots: list[dict[str, list[tuple[int, int]]]] = [{} for _ in rules]
        self.after = [
            _alternation(r.ignore_after, r, r"(?:[^\S\n]+[\w'-]+){0,2}[^\S\n]+\Z") for r in rules
        ]
        # where a rule's ``ignore_after`` phrases may start, found the same way
        self.after_cues = [_cues(r.ignore_after, r) for r in rules]
        self.after_spots: list[dict[str, list[tuple[int, int]]]] = [{} for _ in rules]
        # per rule: whether the verdict of its excuse and comparison tests may be kept per
        # sentence, and the cues of its phrases that may read past a sentence's end (see
        # ``stops``); ``check`` keeps no verdict near one of those
        self.sentence_verdicts = [
            (not r.unless or _cue_words(r.unless, r) is not None)
            and (not r.ignore_after or _cue_words(r.ignore_after, r) is not None)
            for r in rules
        ]
        self.reach_words = [_reaching(r) for r in rules]
        self.reach_out = [
            re.compile(r"(?<![\w-])(?:" + "|".join(words) + ")") if words else None
            for words in self.reach_words
        ]
        self.reach_spots: list[dict[str, list[tuple[int, int]]]] = [{} for _ in rules]
        # the same for a listing with no "?" in it (see ``kept``): the cues of phrases that
        # may cross "." or "!", and per rule whether all its phrases stay inside a sentence
        # there (then no excuse of the sentence before can reach a claim)
        self.plain_reach = [
            re.compile(r"(?<![\w-])(?:" + "|".join(words) + ")") if words else None
            for words in (_reaching(r, PLAIN_STOPS, behind=True) for r in rules)
        ]
        self.plain_stays = [
            all(
                stays_in_sentence(expand_fragment(f, dict(r.terms)), PLAIN_STOPS, behind=True)
                for f in (*r.unless, *r.ignore_after)
            )
            for r in rules
        ]
        # (rule index, sentence key, claim start and end in it) -> whether it is taken back
        self.verdicts: dict[tuple[int, str, int, int], bool] = {}
        # per rule whose excuse and comparison phrases have no cues, so are searched for in
        # a window around the claim: how far before the window they may read (see
        # ``stops.look_back``), or None; and (rule index, the text they may read, the claim's
        # start and end in it) -> whether it is taken back
        self.window_back = [
            _window_back(r, u, a) for r, u, a in zip(rules, self.unless, self.after, strict=True)
        ]
        self.window_verdicts: dict[tuple[int, str, int, int], bool] = {}
        # (sentence key, id of a plan, the whitespace before it) -> what the sentence yields
        # there (see ``kept``)
        self.sentence_claims: dict[tuple[str, int, str], Kept] = {}
        # (a wavelength mention's numbers, the record's wavelengths, the tolerance) -> the
        # numbers the record does not emit, as a finding names them ("" for none), and
        # whether it emits none of them
        self.mismatches: dict[
            tuple[tuple[tuple[float, float], ...], tuple[float, ...], float], tuple[str, bool]
        ] = {}
        self.readers = [
            wavelength_reader(r.group("unit")) if r.kind == "wavelength" else None for r in rules
        ]
        self._plans: dict[RecordKey, Plan] = {}
        # (wavelengths, areas) -> rule index -> the findings of a record check
        self.record_findings: dict[
            tuple[tuple[float, ...], tuple[Area, ...]], dict[int, list[ClaimFinding]]
        ]
        self.record_findings = {}
        self._records: dict[tuple[tuple[float, ...], tuple[Band, ...]], RecordKey] = {}

    def record(self, wavelengths: Sequence[float], bands: Sequence[Band]) -> RecordKey:
        """Light type, bands present and all band slugs for a record (cached by value)."""
        key = (tuple(wavelengths), tuple(bands))
        found = self._records.get(key)
        if found is None:
            present = frozenset(bands_present(wavelengths, bands))
            found = (
                light_type(wavelengths, bands),
                present,
                frozenset(b.slug for b in bands),
            )
            if len(self._records) > 4096:
                self._records.clear()
            self._records[key] = found
        return found

    def plan(self, light: str, present: frozenset[str], every: frozenset[str]) -> Plan:
        """The scanner, its slots and the rules to evaluate, for one kind of device record."""
        key = (light, present, every)
        if key not in self._plans:
            slots: list[Slot] = []
            fragments: list[list[str]] = []
            words: list[RuleWords | None] = []
            for i, rule in enumerate(self.rules):
                words.append(None)
                if rule.kind not in TEXT_KINDS:
                    continue
                groups = [g for g, _ in rule.patterns if _needed(rule, g, light, present, every)]
                for group in groups:
                    slots.append(("claim", i, group))
                    fragments.append(self.expanded[i][group])
                frames = {g: f for g, f in rule.frames if _needed(rule, g, light, present, every)}
                if frames:
                    words[i] = RuleWords(dict(rule.lexicon), frames)
            todo = [(i, r) for i, r in enumerate(self.rules) if light in r.applies_to]
            self._plans[key] = Plan(PhraseScanner(fragments), slots, FrameIndex(words), todo)
        return self._plans[key]


def _window_back(
    rule: Rule, unless: re.Pattern[str] | None, after: re.Pattern[str] | None
) -> int | None:
    """How far before its window a rule's excuse and comparison search reads, when both are
    plain searches (their phrases have no cues: see ``_cues``); None otherwise."""
    if unless is None and after is None:
        return None
    if (unless is not None and _cue_words(rule.unless, rule) is not None) or (
        after is not None and _cue_words(rule.ignore_after, rule) is not None
    ):
        return None
    backs = [look_back(p.pattern) for p in (unless, after) if p is not None]
    return None if None in backs else max(b for b in backs if b is not None)


def _alternation(fragments: Sequence[str], rule: Rule, tail: str) -> re.Pattern[str] | None:
    """One regex for a rule's excuse phrases, starting at a word start, ending in ``tail``."""
    if not fragments:
        return None
    body = "|".join(expand_fragment(f, dict(rule.terms)) for f in fragments)
    return re.compile(rf"(?<![\w-])(?:{body}){tail}")


def _behind_skipped(piece: str) -> str:
    """A piece without the lookbehinds it opens with ("(?<=\\bthe\\s)second" -> "second"):
    they consume nothing, so a match of the piece starts with what follows them (and the
    phrase regex, lookbehinds and all, is what is tried at a cue). The piece itself when a
    lookbehind's end cannot be told."""
    rest = piece
    while rest.startswith(("(?<=", "(?<!")):
        close = 4 + closing(rest[4:])
        if close >= len(rest):
            return piece
        rest = rest[close + 1 :]
    return rest


def _prefixes(fragment: str) -> list[str]:
    """The plain letters each piece of an expanded fragment starts with ("" when some
    piece does not start with plain letters)."""
    out: list[str] = []
    for piece in alternatives(fragment):
        prefix = re.match(r"[a-z0-9]*", literal_prefix(_behind_skipped(piece))[0])
        out.append(prefix.group() if prefix is not None else "")
    return out


def _by_cue(fragments: Sequence[str], rule: Rule, tail: str) -> dict[str, re.Pattern[str]]:
    """For each cue of a rule's phrases (see ``_cues``), the one regex of ``_alternation``
    holding only the phrases, in their order, some piece of which starts with that cue.
    Where a cue is the shortest one that starts at a place, no other phrase can match
    there, so this regex matches exactly as the whole one does, trying fewer phrases."""
    return {
        cue: re.compile(rf"(?<![\w-])(?:{body}){tail}")
        for cue, body in _cue_bodies(fragments, rule).items()
    }


def _cue_bodies(fragments: Sequence[str], rule: Rule) -> dict[str, str]:
    """For each cue, the alternation of the phrases that may start with it (see ``_by_cue``)."""
    cues = _cue_words(fragments, rule)
    if cues is None:
        return {}
    expanded = [expand_fragment(f, dict(rule.terms)) for f in fragments]
    starts = [_prefixes(e) for e in expanded]
    return {
        cue: "|".join(
            e for e, ps in zip(expanded, starts, strict=True) if any(p.startswith(cue) for p in ps)
        )
        for cue in cues
    }


def _reaching(rule: Rule, stops: str = STOPS, behind: bool = False) -> tuple[str, ...]:
    """The cues of a rule's excuse and comparison phrases whose phrases may consume a
    sentence stop ("vs." + "the red panel"), so may read the sentence before or after."""
    return tuple(
        cue
        for fragments in (rule.unless, rule.ignore_after)
        for cue, body in _cue_bodies(fragments, rule).items()
        if not stays_in_sentence(body, stops, behind)
    )


def _cue_words(fragments: Sequence[str], rule: Rule) -> tuple[str, ...] | None:
    """The plain letters every phrase of a rule's ``fragments`` starts with ("uv", "heat",
    ...), shortest first; None when some phrase does not start with plain letters."""
    cues: list[str] = []
    for fragment in fragments:
        for piece in alternatives(expand_fragment(fragment, dict(rule.terms))):
            prefix = re.match(r"[a-z0-9]*", literal_prefix(_behind_skipped(piece))[0])
            if prefix is None or not prefix.group():
                return None
            cues.append(prefix.group())
    return tuple(sorted(set(cues), key=len)) if cues else None


def _cues(fragments: Sequence[str], rule: Rule) -> re.Pattern[str] | None:
    """A word starting the way some excuse phrase of a rule starts, so the excuse regex runs
    only where one could start before the claim ends; None when some phrase does not start
    with plain letters, and the regex must always run."""
    cues = _cue_words(fragments, rule)
    return None if cues is None else re.compile(r"(?<![\w-])(?:" + "|".join(cues) + ")")


@lru_cache(maxsize=32)
def _compile(rules: tuple[Rule, ...]) -> Compiled:
    return Compiled(rules)


_recent: Compiled | None = None


def compiled(rules: Sequence[Rule]) -> Compiled:
    """The compiled rules; the same rule objects as last time skip hashing the tuple."""
    global _recent
    recent = _recent
    if recent is not None and recent.rules is rules:
        return recent
    if (
        recent is not None
        and len(recent.rules) == len(rules)
        and all(a is b for a, b in zip(recent.rules, rules, strict=True))
    ):
        return recent
    _recent = comp = _compile(rules if isinstance(rules, tuple) else tuple(rules))
    return comp
