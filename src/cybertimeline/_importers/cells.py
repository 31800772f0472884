"""The cells of a treaty chart: dates as treaty offices write them, and the marks that say how a
state consented.

Dates are read day first, as the Council of Europe's Treaty Office (``23/11/2001``)
and the UN Treaty Collection (``12 Dec 2002``) write them, or as EDTF
(``2001-11-23``, ``2015-07``, ``2015``), keeping their precision. The UN Treaty
Collection marks a consent that is not a ratification after its date: ``a``
accession, ``A`` acceptance, ``AA`` approval, ``d`` succession.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from cybertimeline._model.dates import Date
from cybertimeline._model.frozen import FrozenDict
from cybertimeline.errors import DateError

__all__ = ["CONSENT_MARKS", "CONSENT_WORDS", "chart_date", "consent_kind", "split_mark"]

CONSENT_MARKS: Mapping[str, str] = FrozenDict(
    {"a": "accession", "A": "acceptance", "AA": "approval", "d": "succession"})
"""The UN Treaty Collection's marks after a date -> the kind of consent."""

CONSENT_WORDS: Mapping[str, str] = FrozenDict({
    **{kind: kind for kind in ("ratification", "accession", "acceptance", "approval",
                               "succession")},
    "r": "ratification", **CONSENT_MARKS})
"""What a chart's consent-type column may say -> the kind of consent."""

_MARKED = re.compile(r"^(?P<date>.*\d)\s*\(?(?P<mark>AA|A|a|d)\)?$")
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\.?,?\s+(?P<year>\d{4})$")
_MONTHS = {name: number for number, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
    ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
    ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
    ("dec", "december")), 1) for name in names}


def split_mark(cell: str) -> tuple[str, str | None]:
    """A cell's date text and the kind of consent its mark says, if it has one:
    ``12 Dec 2002 a`` -> (``12 Dec 2002``, ``accession``)."""
    found = _MARKED.match(cell.strip())
    if found is None:
        return cell.strip(), None
    return found["date"].strip(), CONSENT_MARKS[found["mark"]]


def chart_date(text: str) -> Date:
    """A chart's date: day first (``23/11/2001``, ``23.11.2001``, ``12 Dec 2002``), or EDTF.

    Raises:
        DateError: it is no date of these forms; the message says how to write it.
    """
    text = " ".join(text.split())
    numeric = _DAY_FIRST.match(text)
    named = _DAY_MONTH_NAME.match(text)
    try:
        if numeric is not None:
            return Date.from_date(dt.date(int(numeric["year"]), int(numeric["month"]),
                                          int(numeric["day"])))
        if named is not None and named["month"].lower() in _MONTHS:
            return Date.from_date(dt.date(int(named["year"]), _MONTHS[named["month"].lower()],
                                          int(named["day"])))
    except ValueError as exc:
        raise DateError(f"{text!r} is no day ({exc})") from None
    try:
        return Date.parse(text)
    except DateError:
        raise DateError(f"{text!r} is not a date a chart writes: write it day first "
                        f"(23/11/2001 or 23 Nov 2001) or as EDTF (2001-11-23, 2001-11, "
                        f"2001)") from None


def consent_kind(text: str) -> str:
    """The kind of consent a consent-type cell names (``accession``, ``a``, ``AA``...).

    Raises:
        ValueError: it names none; the message lists what it may say.
    """
    text = text.strip()
    found = CONSENT_WORDS.get(text)
    if found is None and len(text) > 2:  # a word in any case; a mark only as written
        found = CONSENT_WORDS.get(text.lower())
    if found is None:
        words = ", ".join(repr(w) for w in CONSENT_WORDS)
        raise ValueError(f"consent type {text!r} is none of {words}")
    return found
