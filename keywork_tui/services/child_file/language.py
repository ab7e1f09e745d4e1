"""Writing for the child: words to think twice about in what goes on file.

A child in care may read their records as an adult. Young people who have
lived in care have written guides asking professionals to leave the jargon
of the care system out of what they write about them. keywork ships a short
list of such words, each with a plainer way to say it (in this project's own
words), and points them out beside the field while someone types. A note
never blocks a save and never changes the text.

A home edits its list: it adds words, takes off any word (a shipped one
too), or switches the check off. Matching is pure and needs no database, so
a screen reads the guide once and checks every keystroke against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from keywork_tui.schemas import LanguageCheckIn, LanguageRemoveIn, LanguageWordIn
from keywork_tui.services import audit
from keywork_tui.services.actor import MANAGERS, Actor, require
from keywork_tui.services.errors import FieldError, NotFoundError
from models import Home, LanguageWord
from models.base import write_transaction

# Words of a phrase may be split by spaces, a line break or a hyphen:
# "looked-after child" and "looked after\nchild" are the same phrase.
_BETWEEN = re.compile(r"[\s\-]+")
DOING = "change the home's language guide"


def key_of(word: str) -> str:
    """A word or phrase as it is compared: lower case, parts one space apart."""
    return " ".join(part for part in _BETWEEN.split(word.lower()) if part)


@dataclass(frozen=True)
class Entry:
    word: str  # as shown in the guide
    suggestion: str  # what to write instead
    forms: tuple[str, ...] = ()  # other forms matched (plurals, -ing), besides the word
    by_home: bool = False  # the home added it or changed its suggestion

    @property
    def key(self) -> str:
        return key_of(self.word)

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *(key_of(f) for f in self.forms))


def _e(word: str, suggestion: str, *forms: str) -> Entry:
    return Entry(word, suggestion, forms)


# The shipped guide. Only the forms listed are matched, each as a whole word
# or phrase in any case: "contact" is pointed out, "contacted" is not.
SHIPPED: tuple[Entry, ...] = (
    _e("placement", "home", "placements"),
    _e(
        "placement breakdown",
        "had to move home",
        "placement breakdowns",
        "placement broke down",
        "placement ended",
    ),
    _e("contact", "family time", "contacts"),
    _e(
        "sibling contact",
        "time with their brothers or sisters",
        "siblings contact",
        "sibling contacts",
    ),
    _e("absconded", "ran away, or was missing", "abscond", "absconds", "absconding", "absconder"),
    _e(
        "LAC",
        "the child's name",
        "looked after child",
        "looked after children",
        "looked after young person",
    ),
    _e("service user", "the child's name", "service users"),
    _e(
        "challenging behaviour",
        "upset, or in distress",
        "challenging behaviours",
        "challenging behavior",
    ),
    _e("unit", "house, or home", "units"),
    _e("sanctions", "consequences", "sanction", "sanctioned"),
    _e("respite", "a short break, or time with (say who)"),
    _e("kicked off", "was upset or angry (say what happened)", "kicking off", "kicks off"),
    _e("refused", "said no, or chose not to", "refuses", "refusing", "refusal"),
    _e("non-compliant", "said no, or chose not to", "noncompliant", "non-compliance"),
    _e("attention seeking", "wanted connection, or to be noticed", "attention seeker"),
    _e("manipulative", "trying to get what they needed", "manipulating"),
    _e("escorted", "went with, or took", "escort", "escorting"),
    _e("aggressive", "angry or frightened (say what happened)", "aggression"),
    _e("disclosed", "told, or shared", "disclose", "disclosure", "disclosing"),
    _e("leaving care", "moving on"),
)
SHIPPED_BY_KEY = {e.key: e for e in SHIPPED}

# Longer names a shipped word sits inside that mean something else (a
# statutory document, a phone number): matched first, and never pointed out.
NOT_POINTED_OUT = (
    "placement plan",
    "placement plans",
    "contact details",
    "contact number",
    "contact numbers",
)


@dataclass(frozen=True)
class Guide:
    entries: tuple[Entry, ...] = SHIPPED
    on: bool = True
    taken_off: tuple[Entry, ...] = ()  # shipped words the home stopped checking

    def entry(self, word: str) -> Entry | None:
        key = key_of(word)
        return next((e for e in self.entries if e.key == key), None)


OFF = Guide((), on=False)  # what a screen checks against until the home's guide is read


@dataclass(frozen=True)
class Finding:
    word: str  # the guide's word
    suggestion: str
    start: int  # where the text says it: text[start:end]
    end: int


# --- matching (pure) ------------------------------------------------------------


def _pattern(key: str) -> str:
    return r"[\s\-]+".join(re.escape(part) for part in key.split(" "))


@lru_cache(maxsize=16)
def _matcher(entries: tuple[Entry, ...]) -> tuple[re.Pattern[str], dict[str, Entry | None]]:
    """One compiled pattern for a guide, longest phrases first so "placement
    breakdown" wins over "placement"; later entries (the home's) win a key."""
    by_key: dict[str, Entry | None] = {}
    for entry in entries:
        for key in entry.keys:
            by_key[key] = entry
    for phrase in NOT_POINTED_OUT:
        by_key.setdefault(phrase, None)
    order = sorted(by_key, key=lambda k: (k.count(" "), len(k)), reverse=True)
    alternatives = "|".join(_pattern(k) for k in order if k)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), by_key


def findings(text: str, guide: Guide) -> list[Finding]:
    """Each listed word or phrase in `text`, in order, with where it is."""
    if not guide.on or not guide.entries or not text:
        return []
    pattern, by_key = _matcher(guide.entries)
    found = []
    for match in pattern.finditer(text):
        entry = by_key.get(key_of(match.group()))
        if entry is not None:
            found.append(Finding(entry.word, entry.suggestion, match.start(), match.end()))
    return found


def note(text: str, guide: Guide) -> str:
    """The quiet line shown beside a field: '“placement”: try “home”', one
    per word of the guide found, in the words as they were typed."""
    said: dict[str, str] = {}
    for f in findings(text, guide):
        typed = " ".join(text[f.start : f.end].split())
        said.setdefault(f.word, f"“{typed}”: try “{f.suggestion}”")
    return " · ".join(said.values())


# --- the home's guide ----------------------------------------------------------


def _effective(rows: list[LanguageWord], on: bool) -> Guide:
    """The shipped guide with the home's changes: its own words after the shipped."""
    entries = {e.key: e for e in SHIPPED}
    taken_off = []
    for row in rows:
        shipped = SHIPPED_BY_KEY.get(row.key)
        if not row.checked:
            if entries.pop(row.key, None) is not None and shipped is not None:
                taken_off.append(shipped)
            continue
        # A shipped word the home re-words keeps its other forms.
        forms = shipped.forms if shipped else ()
        entries[row.key] = Entry(row.word, row.suggestion, forms, by_home=True)
    return Guide(tuple(entries.values()), on, tuple(taken_off))


def home_guide(home_id: int) -> Guide:
    home = Home.get_or_none(Home.id == home_id)
    if home is None:
        raise NotFoundError(f"no home with id {home_id}")
    rows = list(
        LanguageWord.select().where(LanguageWord.home == home_id).order_by(LanguageWord.key)
    )
    return _effective(rows, home.language_check)


def guide_for(actor: Actor) -> Guide:
    """The guide of the actor's home. Everyone reads it: it is what their own
    notes are checked against."""
    return home_guide(actor.home_id)


def _covering(guide: Guide, key: str) -> Entry | None:
    """The entry that matches `key` as one of its other forms, if any."""
    return next((e for e in guide.entries if key in e.keys[1:]), None)


def _row(actor: Actor, key: str) -> LanguageWord | None:
    return LanguageWord.get_or_none(
        (LanguageWord.home == actor.home_id) & (LanguageWord.key == key)
    )


def add_word(actor: Actor, data: LanguageWordIn) -> Guide:
    """Add a word, give a listed one another suggestion, or put back a shipped
    word the home took off; audited."""
    require(actor, *MANAGERS, doing=DOING)
    key = key_of(data.word)
    with write_transaction():
        current = home_guide(actor.home_id)
        same = current.entry(data.word) or _covering(current, key)
        if same is not None and same.suggestion == data.suggestion:
            raise FieldError("word", f"“{data.word}” is already in the guide, with that suggestion")
        row = _row(actor, key)
        if row is None:
            row = LanguageWord.create(
                home=actor.home_id, word=data.word, key=key, suggestion=data.suggestion
            )
            audit.record(actor, "language.add", row)
        else:
            before = audit.snapshot(row)
            row.word, row.suggestion, row.checked = data.word, data.suggestion, True
            row.save()
            audit.record(actor, "language.add", row, before=before)
    return home_guide(actor.home_id)


def remove_word(actor: Actor, data: LanguageRemoveIn) -> Guide:
    """Stop checking a word: a shipped one is kept as taken off (so it can be
    put back), one the home added is removed; audited."""
    require(actor, *MANAGERS, doing=DOING)
    key = key_of(data.word)
    with write_transaction():
        current = home_guide(actor.home_id)
        entry = current.entry(data.word)
        if entry is None:
            raise FieldError("word", _not_listed(current, data.word, key))
        row = _row(actor, key)
        if key in SHIPPED_BY_KEY:
            if row is None:
                row = LanguageWord.create(
                    home=actor.home_id,
                    word=entry.word,
                    key=key,
                    suggestion=entry.suggestion,
                    checked=False,
                )
                audit.record(actor, "language.remove", row)
            else:
                before = audit.snapshot(row)
                row.checked = False
                row.save()
                audit.record(actor, "language.remove", row, before=before)
        elif row is not None:
            audit.record(actor, "language.remove", row, deleted=True)
            row.delete_instance()
    return home_guide(actor.home_id)


def _not_listed(guide: Guide, word: str, key: str) -> str:
    covering = _covering(guide, key)
    if covering is not None:
        return f"“{word}” is checked as a form of “{covering.word}”: remove that instead"
    return f"“{word}” is not in the home's guide"


def set_check(actor: Actor, data: LanguageCheckIn) -> Guide:
    """Switch the whole check on or off for the home; audited when it changes."""
    require(actor, *MANAGERS, doing=DOING)
    with write_transaction():
        home = Home.get_by_id(actor.home_id)
        if home.language_check != data.on:
            before = audit.snapshot(home)
            home.language_check = data.on
            home.save()
            audit.record(actor, "language.check", home, before=before)
    return home_guide(actor.home_id)
