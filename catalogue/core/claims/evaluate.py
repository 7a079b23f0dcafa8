"""What each kind of rule makes of the claims found in a listing: the findings.

``check`` finds the claims (patterns, frames, scope); the evaluators here turn them, with
the device record, into findings with their messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache

from catalogue.core.bands import LIGHT_TYPE_LABELS, Area, Band, outside_bands
from catalogue.core.claims.families import family_words, words_regex
from catalogue.core.claims.footnotes import taken_back
from catalogue.core.claims.names import named
from catalogue.core.claims.nir_numbers import NIR_FROM_NM, bare_only, named_in
from catalogue.core.claims.pieces import remember
from catalogue.core.claims.rules import ClaimFinding, Rule
from catalogue.core.claims.unsaid import unsaid

# --- evaluation --------------------------------------------------------------------------

Span = tuple[int, int]
Claims = Mapping[str, list[Span]]


@dataclass(slots=True)
class Listing:
    description: str
    wavelengths: Sequence[float]
    areas: Sequence[Area]
    bands: Sequence[Band]
    light: str
    present: frozenset[str]
    record: str
    findings: list[ClaimFinding] = field(default_factory=list)

    def emit(self, rule: Rule, span: Span, detail: str | None = None) -> None:
        text = self.description[span[0] : span[1]]
        # the templates themselves, not the rule id: an edited rule keeps its id
        key = (rule.message, rule.suggestion, text, detail, self.record, self.light)
        words = _messages.get(key)
        if words is None:
            values = {
                "text": text,
                "detail": text if detail is None else detail,
                "record": self.record,
                "light_type": LIGHT_TYPE_LABELS.get(self.light, self.light),
            }
            words = rule.message.format_map(values), rule.suggestion.format_map(values)
            # memory stays flat on endless new texts
            remember(_messages, key, words, _MESSAGES_KEPT)
        self.findings.append(_finding(rule.id, rule.severity, *span, text, *words))


# A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; setting
# them through their slots directly builds the same finding at half the cost.
_new = object.__new__
_SLOTS = tuple(getattr(ClaimFinding, f.name).__set__ for f in fields(ClaimFinding))
(_set_rule, _set_severity, _set_start, _set_end, _set_text, _set_message, _set_suggestion) = _SLOTS


def _finding(
    rule: str, severity: str, start: int, end: int, text: str, message: str, suggestion: str
) -> ClaimFinding:
    """``ClaimFinding(rule, severity, start, end, text, message, suggestion)``, faster."""
    found = _new(ClaimFinding)
    _set_rule(found, rule)
    _set_severity(found, severity)
    _set_start(found, start)
    _set_end(found, end)
    _set_text(found, text)
    _set_message(found, message)
    _set_suggestion(found, suggestion)
    return found


# The same claim on the same kind of record reads the same: its message is kept.
_MESSAGES_KEPT = 4096
_messages: dict[tuple[str, str, str, str | None, str, str], tuple[str, str]] = {}


@lru_cache(maxsize=1024)
def record_nm(values: tuple[float, ...]) -> str:
    """ "660/850 nm": the record as the messages name it."""
    return "/".join(f"{w:g}" for w in sorted(values)) + " nm" if values else "no emission"


def _phrase(ctx: Listing, rule: Rule, claims: Claims) -> None:
    """Every claim fires, except that group ``pronoun`` ("it does what he did"), and any
    group with families of its own in ``params.antecedent_<group>``, fires only when a word
    of a family ``params.antecedent`` (or its own) names what the pronoun stands for, in
    the claim's sentence or the one before (see ``_named_before``); group ``they`` ("They
    treat both") also needs a word of ``params.they`` ("these boots") named there; and a
    claim word inside a name (``params.names``, see ``_in_name`` and ``names``), one a
    footnote takes back (see ``footnotes``) and another's word the listing denies (see
    ``unsaid``; a quoted one when it holds a word of ``params.denied_words``) do not fire."""
    heads = rule.words("names", ())
    cues = rule.words("name_cues", ())
    named_as = rule.words("name_products", ())
    marked = any(c in ctx.description for c in "*\u2020\u2021\u00b9\u00b2\u00b3")
    denied = rule.words("denied_words", ())
    for group, spans in claims.items():
        own = rule.words(f"antecedent_{group}", ())
        if own or group in ("pronoun", "they"):
            families = own or rule.words("antecedent", ())
            if families:
                spans = [
                    s
                    for s in spans
                    if any(_named_before(ctx.description, s[0], rule, f) for f in families)
                ]
            if group == "they":
                products = words_regex(rule.words("they", ()))
                spans = [s for s in spans if _found_before(ctx.description, s[0], products)]
        for span in spans:
            if not (
                heads
                and (
                    _in_name(ctx.description, span, heads)
                    or named(ctx.description, span, heads, cues, named_as)
                )
            ) and not (
                (marked and taken_back(ctx.description, span))
                or unsaid(ctx.description, span, denied)
            ):
                ctx.emit(rule, span)


def _in_name(description: str, span: Span, heads: Sequence[str]) -> bool:
    """Whether the claim's first word stands in a capitalised name in running text whose
    later word is one of ``heads`` ("the founders of Cure Athletic Club in Leeds", "at
    Northside Cure Clinic"): the word before the name is in lower case, so the capitals
    are not a headline's ("This Wrap Cures Arthritis") nor a sentence's first word."""
    start = span[0]
    if not description[start : start + 1].isupper():
        return False
    first = start  # back over the name's earlier words: "Northside Cure Clinic"
    while (m := _NAME_BEFORE.search(description, max(0, first - 40), first)) is not None:
        first = m.start()
    before = _WORD_BEFORE.search(description, max(0, first - 40), first)
    if before is None:
        return False
    pos, later = start, 0
    while (m := _NAME_WORD.match(description, pos)) is not None and later < 4:
        if pos > start:
            later += 1
            if m.group().lower() in heads:
                return True
        pos = m.end() + 1
        if description[m.end() : pos] != " ":
            break
    return False


_NAME_WORD = re.compile(r"[A-Z][\w'&-]*")
_NAME_BEFORE = re.compile(r"(?<![^\s])[A-Z][\w'&-]* $")  # a capitalised word, then a space
_WORD_BEFORE = re.compile(r"(?<![^\s])[a-z]+ +$")  # a lower-case word, then spaces


_BEFORE_REACH = 200  # characters before a pronoun in which what it stands for may be named


def _named_before(description: str, at: int, rule: Rule, family: str) -> bool:
    """Whether a word of the rule's ``family`` stands in the sentence before the one holding
    ``at``, or earlier in that one, at most ``_BEFORE_REACH`` characters back."""
    return _found_before(description, at, family_words(rule, family))


def _found_before(description: str, at: int, found: re.Pattern[str]) -> bool:
    """Whether ``found`` matches in the sentence before the one holding ``at``, or earlier
    in that one, at most ``_BEFORE_REACH`` characters back."""
    text = description.lower()
    return found.search(text, _reach_back(text, at), at) is not None


def _reach_back(text: str, at: int) -> int:
    """Where the sentence before the one holding ``at`` starts, at most ``_BEFORE_REACH``
    characters back."""
    lo = max(0, at - _BEFORE_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, at)]
    return ends[-2] if len(ends) >= 2 else lo


def _stands_for(ctx: Listing, at: int, rule: Rule) -> bool:
    """Whether the pronoun at ``at`` stands for the light of the rule's ``antecedent``
    family: a word of it is named in the sentence before or earlier in this one, and no word
    of its ``rival`` family is ("The 850 nm diodes are our strongest. ... they're the ones
    shining brightest", but not "Red diodes line the 850 nm panel. They're the brightest").
    A bare number names the light only as ``nir_numbers`` says."""
    text = ctx.description.lower()
    begin = _reach_back(text, at)
    named = family_words(rule, rule.words("antecedent", ("nir",))[0])
    if not named_in(named, text, begin, at, ctx.wavelengths, _tolerance(rule)):
        return False
    rival = rule.words("rival", ())
    return not rival or family_words(rule, rival[0]).search(text, begin, at) is None


def _visible(ctx: Listing, rule: Rule, claims: Claims) -> None:
    """Group ``visible`` fires always, ``glow`` for a NIR-only device (940 or 1064 nm
    alone too: near-infrared outside the guide's band), ``every`` (every
    emitter said to glow: "both rows of LEDs glow red") for any device with NIR emitters,
    ``answer`` ("they shine brightly") for such a device when it answers a question
    that names the NIR light ("How do I know the near-infrared LEDs are on?"), and
    ``pronoun`` ("they're the brightest ones") for such a device when the pronoun stands
    for the NIR light (see ``_stands_for``). A claim that names the light only by a bare
    number the record does not emit ("all 900 LEDs glow red") names no NIR light (see
    ``nir_numbers``)."""
    spans = claims.get("visible", [])
    if ctx.light == "nir" or (
        ctx.light == "other" and ctx.wavelengths and min(ctx.wavelengths) >= NIR_FROM_NM
    ):
        spans = spans + claims.get("glow", [])
    if ctx.light in ("nir", "combined"):
        spans = spans + claims.get("every", [])
        answers = claims.get("answer", [])
        if answers:
            spans = spans + [s for s in answers if _answers_nir(ctx, s[0], rule)]
        pronouns = claims.get("pronoun", [])
        if pronouns:
            spans = spans + [s for s in pronouns if _stands_for(ctx, s[0], rule)]
    tolerance = _tolerance(rule)
    for span in spans:
        words = ctx.description[max(0, span[0] - 1) : span[1]].lower()  # "$850" is a price
        if not bare_only(words, ctx.wavelengths, tolerance):
            ctx.emit(rule, span)


def _tolerance(rule: Rule) -> float:
    """How far (nm) a bare number may stand from the record's emission it names."""
    return rule.number("number_tolerance_nm", 5)


_ANSWER_REACH = 60  # characters from a question's mark to the claim that answers it
_SENTENCE_END = re.compile(r"[.!]\s")


def _answers_nir(ctx: Listing, at: int, rule: Rule) -> bool:
    """Whether the words at ``at`` open the answer to a question that names near-infrared
    light (a word of the rule's ``nir`` family): the question mark stands at most
    ``_ANSWER_REACH`` characters before, with no sentence end between."""
    text = ctx.description.lower()
    mark = text.rfind("?", 0, at)
    if mark < 0 or at - mark > _ANSWER_REACH or _SENTENCE_END.search(text, mark, at):
        return False
    begin = max(text.rfind(c, 0, mark) for c in ".!?\n") + 1
    nir = family_words(rule, "nir")
    return named_in(nir, text, begin, mark, ctx.wavelengths, _tolerance(rule))


def _band(ctx: Listing, rule: Rule, claims: Claims) -> None:
    """Group ``both`` claims every band, a band's slug that band; group ``pair`` ("dual
    wavelength", "both wavelengths") claims every band only for a record with fewer than
    two emissions: two red wavelengths are what "both wavelengths" names on a red device.
    A record that emits near-infrared light outside the guide's band (940, 1064 nm) has
    the near-infrared its words name: ``outside-band`` tells what the guide leaves out."""
    bands = tuple(ctx.bands)
    present = ctx.present
    if any(w >= NIR_FROM_NM for w in ctx.wavelengths):
        present = present | {b.slug for b in bands if b.min_nm >= NIR_FROM_NM}
    for group, spans in claims.items():
        if group == "pair":
            if len(set(ctx.wavelengths)) >= 2:
                continue
            group = "both"
        key = (group, present, bands)
        missing = _missing.get(key)
        if missing is None:
            missing = _missing_bands(*key)
            remember(_missing, key, missing, 1024)
        for span in spans if missing else ():
            ctx.emit(rule, span, missing)


def _missing_bands(group: str, present: frozenset[str], bands: tuple[Band, ...]) -> str:
    """The bands a band claim names that the record does not emit, as its finding names
    them ("" when it emits them all)."""
    every = [b.slug for b in bands]
    missing = {s for s in (every if group == "both" else [group]) if s not in present}
    names = [
        f"{b.name.lower()} light in the {b.min_nm:g}-{b.max_nm:g} nm band"
        for b in bands
        if b.slug in missing
    ]
    names += sorted(missing - set(every))
    return " and ".join(names) if missing else ""


# (group, bands present, the guide's bands) -> what ``_band`` names; few records, few keys
_missing: dict[tuple[str, frozenset[str], tuple[Band, ...]], str] = {}


def _apart(spans: list[Span]) -> list[Span]:
    """Spans that do not overlap one kept before: one phrase read by two frames counts once."""
    kept: list[Span] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _emphasis(ctx: Listing, rule: Rule, claims: Claims) -> None:
    topic = _apart(claims.get("topic", []))
    if len(topic) > len(_apart(claims.get("counter", []))):
        for span in topic:
            ctx.emit(rule, span)


def _area_depth(ctx: Listing, rule: Rule, claims: Claims) -> None:
    depths = rule.words("depths", ("deep", "both"))
    hit = [a.name.lower() for a in ctx.areas if a.depth in depths]
    if hit:
        ctx.emit(rule, (0, 0), ", ".join(hit))


def _outside_band(ctx: Listing, rule: Rule, claims: Claims) -> None:
    outside = outside_bands(ctx.wavelengths, ctx.bands)
    if outside:
        ctx.emit(rule, (0, 0), "; ".join(_what_light(w, ctx.bands) for w in sorted(outside)))


def _what_light(nm: float, bands: Sequence[Band]) -> str:
    """ "940 nm is near-infrared light above the guide's 800-900 nm near-infrared band":
    outside the guide's bands does not mean outside near-infrared."""
    kind = "near-infrared" if nm >= NIR_FROM_NM else "visible"
    below = [b for b in bands if b.max_nm < nm]
    above = [b for b in bands if b.min_nm > nm]
    lower = max(below, key=lambda b: b.max_nm) if below else None
    upper = min(above, key=lambda b: b.min_nm) if above else None

    def named(b: Band) -> str:
        return f"{b.min_nm:g}-{b.max_nm:g} nm {b.name.lower()} band"

    if lower is not None and upper is not None:
        where = f"between the guide's {named(lower)} and its {named(upper)}"
    elif lower is not None:
        where = f"above the guide's {named(lower)}"
    elif upper is not None:
        where = f"below the guide's {named(upper)}"
    else:
        where = "outside every band of the guide"
    return f"{nm:g} nm is {kind} light {where}"


EVALUATORS: dict[str, Callable[[Listing, Rule, Claims], None]] = {
    "phrase": _phrase,
    "visible": _visible,
    "band": _band,
    "emphasis": _emphasis,
    "area-depth": _area_depth,
    "outside-band": _outside_band,
}
