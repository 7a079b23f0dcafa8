"""The words that negate, vouch, contrast or subordinate, as the tokenizer and the scope
tests look them up (without apostrophes, see ``plain``)."""

from __future__ import annotations

NEG_MARKS = "\u274c\u2716\u2717\u2718\U0001f6ab"  # cross marks and "prohibited": "❌ burning heat"

NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "myth",
        "myths",
        "avoid",
        "skip",
        "neither",
        "nor",
        "none",
        "nothing",
        "nobody",
        "nobodys",  # "nobody's claiming it's proven": "nobody is", as "no one's" reads
        "nowhere",
        "without",
        "cannot",
        "unlike",
        "hardly",
        "nope",
        "nah",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "cant",
        "wont",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "hasnt",
        "havent",
        "hadnt",
        "aint",
        "beware",  # "beware of listings shouting 'FDA approved'": reported, not claimed
        "wary",
        "forget",  # "forget 'instant relief' promises"
    ]
) | frozenset(NEG_MARKS)
# Two-word negators, keyed by their first word.
NEGATOR_PAIRS = {
    "rather": "than",
    "instead": "of",
    "far": "from",
    "free": ("of", "from"),
}
# Verbs after "nobody" or "no one" that take what follows as true: "What nobody tells you:
# the 850s are the bright ones", "the thing no one mentions is ...".
TELLING = (
    "tells",
    "told",
    "mentions",
    "mentioned",
    "warns",
    "warned",
    "talks",
    "explains",
    "explained",
)
# Negation words that do not negate what follows: "not only ... but a cure".
PSEUDO = {
    "not": ("only", "just", "merely", "least"),
    "no": (
        "doubt",
        "wonder",
        "question",
        "matter",
        "nonsense",
        "brainer",
        "fuss",
        "wires",
        "cap",  # slang: "no cap, this belt works" vouches, as "no kidding" does
    ),
    "nothing": ("short", "less", "beats", "beat", "compares", "tops"),  # "nothing beats it" vouches
    "never": ("before",),
    # "the thing nobody tells you is ...": what nobody tells you is said to be true
    # "nobody else can claim it's proven - we can": others are denied it, the writer not
    "nobody": (*TELLING, "else"),
    "nobodys": TELLING,
    "noone": (*TELLING, "else"),
    "cant": ("believe", "wait", "beat", "recommend"),
    "cannot": ("believe", "wait", "beat", "recommend"),
    "wont": ("believe", "regret"),
    "couldnt": ("be", "believe", "recommend"),
    "dont": ("wait", "miss", "hesitate"),
    # "isn't just skin deep, it goes ...": a copula's "not just" adds, as "not only" does
    "isnt": ("just", "only", "merely"),
    "arent": ("just", "only", "merely"),
    "wasnt": ("just", "only", "merely"),
    "werent": ("just", "only", "merely"),
}
# "doesn't stop at the skin: the light reaches the muscle", "won't stop there": a negated
# stopping point says the claim goes past it, as "not only" does, and governs nothing.
BEYOND = frozenset({"stop", "stops", "end", "ends"})
BEYOND_AT = frozenset({"at", "there"})
# "Not gonna lie, ...", "I won't lie", "not even kidding": a negator that vouches for what
# follows instead of denying it, read up to two filler words ahead.
# "Don't worry, folks: ...", "do not panic:" reassure in the same way: the negator ends
# with its own phrase ("don't worry about the heat" still negates what follows).
CANDOUR = frozenset(
    {"lie", "lying", "kidding", "joking", "exaggerating", "kid", "joke", "worry", "fret", "panic"}
)
CANDOUR_FILLERS = frozenset({"gonna", "going", "to", "even", "ever"})
# Punctuation spoken into dictation ("no joke exclamation mark", "not kidding period"): it
# closes the candour phrase as the mark itself would. Two-word ones by their first word.
SPOKEN_MARKS = frozenset({"period", "comma", "exclamation", "newline", "colon", "semicolon"})
SPOKEN_PAIRS = {"full": "stop", "new": "line", "question": "mark"}
# a hedge that stands as a sentence of its own before an answer: "Honestly... yes."
HEDGES = frozenset("honestly frankly truthfully seriously well hmm um erm look basically".split())
# Words that answer a question yes: "Yes!", "Absolutely.", "Of course."
YES = frozenset(
    [
        "yes",
        "yep",
        "yeah",
        "yup",
        "absolutely",
        "definitely",
        "certainly",
        "sure",
        "indeed",
        "totally",
        "course",
        "100",
        "always",
    ]
)
PREPOSITIONAL = frozenset({"without", "unlike", "rather", "instead", "far", "free"})
CONTRASTS = frozenset({"but", "however", "although", "though", "whereas", "except"})
# A count of none heading a clause, as a poll reports it: "0% said it cured anything",
# "Zero people felt burning heat", "zero of our testers": it governs its clause as
# "nobody" does. "0" counts only with "%" and a verb of saying or feeling right after it
# ("0% infrared" counts no one); "zero" only before whom it counts.
ZERO = frozenset({"zero", "0"})
ZERO_COUNTED = frozenset(
    "people customers users buyers clients testers respondents participants patients"
    " reviewers owners members subscribers of percent per".split()
)
ZERO_VERBS = frozenset(
    "said say says felt feel feels reported report reports noticed saw found experienced"
    " thought claimed rated described called mentioned of".split()
)
# "Don't wait for a glow" tells the reader not to expect it: "wait" vouches on its own
# ("don't wait, order today") or before "to" ("don't wait to feel better"), not before
# "for" ("don't wait around for a glow" too).
WAITED_FOR = frozenset({"for"})
BLOCK_WORDS = NEGATORS | CONTRASTS | frozenset(NEGATOR_PAIRS) | {"instead"} | ZERO


PRONOUNS = frozenset({"it", "this", "they", "you", "we", "its", "theyre", "youll", "itll"})
SUBORDINATORS = frozenset(
    [
        "while",
        "although",
        "though",
        "if",
        "when",
        "whenever",
        "because",
        "since",
        "unless",
        "once",
        "even",
    ]
)


_NO_EDGE = 0  # ``tokens.NONE``: no punctuation between a word and the one before it


def candour(words: list[str], edge: list[int], j: int) -> bool:
    """Whether the words from j on say the speaker is not lying ("gonna lie,", "even
    kidding:"): a candour word after at most two fillers, none cut off by an edge, then
    an edge (or "to you" and an edge). "We will not lie to you about miracles" still
    negates what follows."""
    n = len(words)
    for k in range(j, min(j + 3, n)):
        if edge[k] != _NO_EDGE:
            return False
        if words[k] in CANDOUR:
            k += 1
            if k + 1 < n and words[k] == "to" and words[k + 1] == "you" and edge[k] == _NO_EDGE:
                k += 2
            return k >= n or edge[k] != _NO_EDGE or _spoken_mark(words, k)
        if words[k] not in CANDOUR_FILLERS:
            return False
    return False


def _spoken_mark(words: list[str], k: int) -> bool:
    """Whether word k is a punctuation mark spoken into dictation ("period", "full stop")."""
    w = words[k]
    return w in SPOKEN_MARKS or (
        w in SPOKEN_PAIRS and k + 1 < len(words) and words[k + 1] == SPOKEN_PAIRS[w]
    )


def plain(word: str) -> str:
    """ "doesn't" -> "doesnt": negators are looked up without apostrophes."""
    return word.replace("'", "") if "'" in word else word
