"""From the names researchers write to actor ids: codes in any case, ISO, UN and other names.

`NameIndex` files every actor of a registry under its id and, for states and
territories, its ISO 3166-1 alpha-2 and numeric codes, its ISO names
(``name``, ``official_name``, ``common_name``), its name in UN usage and the
other forms of `cybertimeline._model.state_names`; declared actors under their
names. Names are compared by `name_keys`: without case, accents, punctuation or
a leading "the", and with "Korea, Republic of" or "Bolivia (Plurinational State
of)" read in their natural order too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Protocol

import attrs

from cybertimeline._model.frozen import FrozenDict
from cybertimeline._model.state_names import (
    AMBIGUOUS_NAMES,
    FORMER_STATE_NAMES,
    OTHER_FORMS,
    UN_MEMBER_STATES,
    UN_OBSERVER_STATES,
)


class Named(Protocol):
    """Anything with a name: an `Actor`."""

    @property
    def name(self) -> str: ...

__all__ = ["NameIndex", "Named", "iso_names", "name_keys"]

# "Korea, Republic of" and "Netherlands (Kingdom of the)": the qualifier goes first.
_INVERTED = (re.compile(r"^(?P<head>[^,]+),\s*(?P<qualifier>.*\bof(?: the)?)$", re.IGNORECASE),
             re.compile(r"^(?P<head>[^(]+?)\s*\((?P<qualifier>.*\bof(?: the)?)\)$",
                        re.IGNORECASE))
_APOSTROPHES = str.maketrans({"’": "", "‘": "", "'": "", "`": ""})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _plain(text: str) -> str:
    """Lower case, no accents, no apostrophes, ``&`` as "and", punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    text = text.translate(_APOSTROPHES).replace("&", " and ")
    words = _NOT_WORD.sub(" ", text).split()
    while len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join("saint" if w == "st" else w for w in words)


def name_keys(text: str) -> tuple[str, ...]:
    """The forms under which a name is filed and looked up: as written, and in natural
    order where a qualifier follows (``Korea, Republic of``: ``republic of korea``)."""
    stripped = " ".join(text.split())
    keys = [_plain(stripped)]
    for pattern in _INVERTED:
        found = pattern.match(stripped)
        if found:
            keys.append(_plain(f"{found['qualifier']} {found['head']}"))
    return tuple(dict.fromkeys(k for k in keys if k))


@functools.cache
def iso_names() -> Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """ISO 3166-1 alpha-3 -> (codes: alpha-2 and numeric, names), from pycountry."""
    import pycountry  # its data is read on first use: not at import

    found = {}
    for country in pycountry.countries:
        codes = (country.alpha_2, country.numeric, str(int(country.numeric)))
        names = tuple(n for n in (country.name, getattr(country, "official_name", None),
                                  getattr(country, "common_name", None)) if n)
        found[country.alpha_3] = (codes, names)
    return FrozenDict(found)


def _forms() -> Mapping[str, list[str]]:
    """Alpha-3 -> the UN's name and the other forms of the tables."""
    forms: defaultdict[str, list[str]] = defaultdict(list)
    for table in (UN_MEMBER_STATES, UN_OBSERVER_STATES):
        for code, name in table.items():
            forms[code].append(name)
    for name, code in OTHER_FORMS.items():
        forms[code].append(name)
    return forms


@attrs.frozen
class NameIndex:
    """Every way a registry's actors may be named, and the ids each way names."""

    ids: frozenset[str]
    codes: Mapping[str, frozenset[str]]
    """Casefolded ids and ISO alpha-2 and numeric codes -> ids."""
    names: Mapping[str, frozenset[str]]
    """`name_keys` of names -> ids."""

    @classmethod
    def of(cls, actors: Mapping[str, Named]) -> NameIndex:
        """The index of these actors (a registry's), built once per mapping."""
        if isinstance(actors, FrozenDict):
            return _cached_index(actors)
        return cls._build(actors)

    @classmethod
    def _build(cls, actors: Mapping[str, Named]) -> NameIndex:
        codes: defaultdict[str, set[str]] = defaultdict(set)
        names: defaultdict[str, set[str]] = defaultdict(set)

        def file(keys: Iterable[str], actor: str, into: defaultdict[str, set[str]]) -> None:
            for key in keys:
                into[key].add(actor)

        iso, forms = iso_names(), _forms()
        for actor_id, actor in actors.items():
            codes[actor_id.casefold()].add(actor_id)
            file(name_keys(actor.name), actor_id, names)
            if actor_id in iso:
                iso_codes, iso_names_ = iso[actor_id]
                file((c.casefold() for c in iso_codes), actor_id, codes)
                for name in (*iso_names_, *forms.get(actor_id, ())):
                    file(name_keys(name), actor_id, names)
            for name in FORMER_STATE_NAMES.get(actor_id, ()):  # where the registry holds it
                file(name_keys(name), actor_id, names)
        for name, meant in AMBIGUOUS_NAMES.items():
            for key in name_keys(name):
                names[key].update(a for a in meant if a in actors)
        return cls(frozenset(actors),
                   FrozenDict({k: frozenset(v) for k, v in codes.items()}),
                   FrozenDict({k: frozenset(v) for k, v in names.items() if v}))

    def lookup(self, text: str) -> tuple[str, ...]:
        """The ids ``text`` may name, sorted: one, several (ambiguous) or none.

        An exact id wins; then an id or an ISO alpha-2 or numeric code in any case;
        then names.
        """
        text = text.strip()
        if text in self.ids:
            return (text,)
        by_code = self.codes.get(text.casefold())
        if by_code:
            return tuple(sorted(by_code))
        found: set[str] = set()
        for key in name_keys(text):
            found |= self.names.get(key, frozenset())
        return tuple(sorted(found))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Ids ``text`` may have meant, best first: real near-misses only (``CNA`` for CAN,
        ``Cananda`` for Canada), never ids that merely share letters."""
        import difflib  # only when a name is not found

        exact = self.lookup(text)
        if exact:
            return list(exact)
        found: list[str] = []
        folded = text.strip().casefold()
        if len(folded) <= 3:  # a code with its letters in another order
            found += sorted(i for c, ids in self.codes.items()
                            if len(c) == len(folded) and sorted(c) == sorted(folded) for i in ids)
        for key in name_keys(text):
            for close in difflib.get_close_matches(key, list(self.names), n=limit, cutoff=0.8):
                found += sorted(self.names[close])
        if len(folded) > 3:  # a declared id mistyped (QUINTETT for QUINTET)
            long_codes = [c for c in self.codes if len(c) > 3]
            for close in difflib.get_close_matches(folded, long_codes, n=limit, cutoff=0.8):
                found += sorted(self.codes[close])
        return list(dict.fromkeys(found))[:limit]


@functools.lru_cache(maxsize=16)
def _cached_index(actors: FrozenDict[str, Named]) -> NameIndex:
    return NameIndex._build(actors)
