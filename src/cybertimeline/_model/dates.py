"""EDTF dates: level 0 (year, month, day, intervals) and the level-1 qualifiers ? ~ %."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from typing import Any

import attrs

from cybertimeline.errors import DateError

__all__ = ["Date", "DateLike", "Precision"]

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    """The month's length in the proleptic Gregorian calendar (the `calendar` module's
    answer, without importing it and the locale machinery it brings)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS[month - 1]



class Precision(enum.StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_FINENESS = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}
# ASCII digits only: "２０１５" (fullwidth) or "٢٠١٥" (Arabic-Indic) is no EDTF date.
_POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([?~%])?", re.ASCII)
_SLOPPY = re.compile(r"\d{1,4}-\d{1,2}(?:-\d{1,2})?[?~%]?", re.ASCII)
_LONGEST = len("2001-01-01~/2001-01-01~")
_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ? ~ or %, or an interval A/B"


@attrs.frozen
class _Point:
    """One end of a date: a year, month or day, with its qualifiers."""

    text: str
    earliest: dt.date
    latest: dt.date
    precision: Precision
    uncertain: bool
    approximate: bool


def _parse_point(text: str, whole: str) -> _Point:
    match = _POINT.fullmatch(text)
    if match is None:
        if _SLOPPY.fullmatch(text):
            raise DateError(f"{whole!r} is not an EDTF date: months and days take two digits "
                            f"and years four (2019-07-01, not 2019-7-1)")
        raise DateError(f"{whole!r} is not an EDTF date: {_suggestion(whole) or _HINT}")
    year_text, month_text, day_text, qualifier = match.groups()
    year = int(year_text)
    if year == 0:
        raise DateError(f"year 0000 in {whole!r} is out of range: years run from 0001 to 9999")
    if month_text is None:
        earliest, latest, precision = dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR
    else:
        month = int(month_text)
        if not 1 <= month <= 12:
            raise DateError(f"month {month_text} in {whole!r} is out of range: months run 01-12")
        last_day = _days_in_month(year, month)
        if day_text is None:
            earliest, latest = dt.date(year, month, 1), dt.date(year, month, last_day)
            precision = Precision.MONTH
        else:
            day = int(day_text)
            if not 1 <= day <= last_day:
                raise DateError(f"day {day_text} in {whole!r} is out of range: "
                                f"{year:04d}-{month:02d} has {last_day} days")
            earliest = latest = dt.date(year, month, day)
            precision = Precision.DAY
    return _Point(
        text=text,
        earliest=earliest,
        latest=latest,
        precision=precision,
        uncertain=qualifier in ("?", "%"),
        approximate=qualifier in ("~", "%"),
    )


@attrs.frozen(eq=False, repr=False)
class Date:
    """A date as EDTF knows it: partial (``2015``, ``2019-07``), exact, or an interval.

    Every date spans the days from `earliest` to `latest`; a day is a
    span of one. Dates compare and sort by ``(latest, earliest, text)``, the
    canonical key, which is a total order. Build them with `parse`,
    `parse_loose` or `from_date`.
    """

    _start: _Point
    _end: _Point | None

    @classmethod
    def parse(cls, text: str) -> Date:
        """Parse EDTF level 0 text with optional ``?`` ``~`` ``%`` qualifiers.

        Raises:
            DateError: the text is not such a date; the message says why.
        """
        if not isinstance(text, str):
            raise DateError(f"a date must be text such as '2015-07-08', not {type(text).__name__}")
        return _parse(text)

    @classmethod
    def _parse_new(cls, text: str) -> Date:
        if not text.strip():
            raise DateError(f"empty date: {_HINT}")
        if len(text) > _LONGEST:
            raise DateError(f"a date of {len(text)} characters is not an EDTF date: {_HINT}")
        if text != text.strip():
            raise DateError(f"{text!r} has spaces around it: write {text.strip()!r}")
        parts = text.split("/")
        if len(parts) == 1:
            return cls(_parse_point(text, text), None)
        if len(parts) > 2 or not all(parts):
            hint = _suggestion(text) or ("write START/END, both ends known (open intervals "
                                         "are not supported)")
            raise DateError(f"{text!r} is not an EDTF date or interval: {hint}")
        start, end = (_parse_point(part, text) for part in parts)
        if start.earliest > end.latest:
            raise DateError(
                f"interval {text!r} ends before it starts: write {parts[1]}/{parts[0]}?"
            )
        return cls(start, end)

    @classmethod
    def parse_loose(cls, text: str, *, dayfirst: bool | None = None) -> Date:
        """Parse free text such as ``"July 2019"`` or ``"8 Jul 2015"``, keeping its precision.

        The text is read by python-dateutil. A date without a year is refused, and
        what the text leaves out stays unknown: ``"July 2019"`` is the month ``2019-07``.

        A date written in numbers alone (``07/08/2019``, ``7.8.2019``) is read day
        first or month first only as ``dayfirst`` says (``True`` as in Treaty
        Office charts and most of the world, ``False`` as in the United States);
        without it, such a date is refused unless only one reading is a date
        (``13/07/2019``) or both agree (``07/07/2019``). Its year must have four digits.

        Raises:
            DateError: python-dateutil finds no date, or no year, in the text; or the text
                is a numeric date that ``dayfirst`` does not settle.
        """
        if not isinstance(text, str) or not text.strip():
            raise DateError("empty date: give free text such as 'July 2019'")
        numeric = _NUMERIC.fullmatch(text.strip())
        if numeric is not None:
            return cls.from_date(_numeric_day(text, numeric[1], numeric[2], numeric[3], dayfirst))
        import dateutil.parser  # free text only: not at import

        try:
            # Two parses with defaults that differ in every field reveal which
            # fields the text itself gave.
            first = dateutil.parser.parse(text, default=dt.datetime(1904, 1, 1))  # noqa: DTZ001
            second = dateutil.parser.parse(text, default=dt.datetime(1908, 2, 2))  # noqa: DTZ001
        except (ValueError, OverflowError) as exc:
            raise DateError(f"no date found in {text!r}: {exc}") from None
        if first.year != second.year:
            raise DateError(f"{text!r} has no year: a date needs at least a year")
        if first.month != second.month:
            return cls.parse(f"{first.year:04d}")
        if first.day != second.day:
            return cls.parse(f"{first.year:04d}-{first.month:02d}")
        return cls.from_date(first.date())

    @classmethod
    def from_date(cls, day: dt.date) -> Date:
        """The date of one known day."""
        if isinstance(day, dt.datetime):
            day = day.date()
        return cls.parse(day.isoformat())

    @classmethod
    def coerce(cls, value: Date | dt.date | str | int) -> Date:
        """Accept a Date, a ``datetime.date``, EDTF text or a year as an int (``2016``, the
        year 2016), as the query methods do.

        Raises:
            DateError: the text is not EDTF, or the int is no year from 1 to 9999.
        """
        if isinstance(value, Date):
            return value
        if isinstance(value, dt.date):
            return cls.from_date(value)
        if isinstance(value, int):
            if isinstance(value, bool) or not 1 <= value <= 9999:
                raise DateError(f"{value} is no year: give a year from 1 to 9999 (2016), or "
                                f"a date as EDTF text ('2016-05-01')")
            return cls.parse(f"{value:04d}")
        return cls.parse(value)

    @property
    def earliest(self) -> dt.date:
        """The first day the date may mean."""
        return self._start.earliest

    @property
    def latest(self) -> dt.date:
        """The last day the date may mean."""
        return (self._end or self._start).latest

    @property
    def precision(self) -> Precision:
        """Year, month or day; for an interval, the coarser of its two ends."""
        if self._end is None or _FINENESS[self._start.precision] <= _FINENESS[self._end.precision]:
            return self._start.precision
        return self._end.precision

    @property
    def is_interval(self) -> bool:
        """True for ``START/END`` dates."""
        return self._end is not None

    @property
    def start(self) -> Date:
        """The first end of an interval; the date itself otherwise."""
        return self if self._end is None else Date(self._start, None)

    @property
    def end(self) -> Date:
        """The last end of an interval; the date itself otherwise."""
        return self if self._end is None else Date(self._end, None)

    @property
    def uncertain(self) -> bool:
        """True when a ``?`` or ``%`` qualifier marks the date (or one end) as uncertain."""
        return self._start.uncertain or (self._end is not None and self._end.uncertain)

    @property
    def approximate(self) -> bool:
        """True when a ``~`` or ``%`` qualifier marks the date (or one end) as approximate."""
        return self._start.approximate or (self._end is not None and self._end.approximate)

    @property
    def is_day(self) -> bool:
        """True for a single exact day with no qualifier."""
        return (
            self._end is None
            and self._start.precision is Precision.DAY
            and not (self._start.uncertain or self._start.approximate)
        )

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        """``(latest, earliest, text)``: the canonical order of dates."""
        return (self.latest, self.earliest, str(self))

    def __str__(self) -> str:
        if self._end is None:
            return self._start.text
        return f"{self._start.text}/{self._end.text}"

    def __repr__(self) -> str:
        return f"Date({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: Any) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: Any) -> bool:
        if not isinstance(other, Date):
            return NotImplemented
        return self.sort_key >= other.sort_key


@functools.lru_cache(maxsize=65536)
def _parse(text: str) -> Date:
    # Dates are immutable and the same texts recur (days of votes, sources'
    # publication dates): parse each once. Errors are not cached.
    return Date._parse_new(text)


_NUMERIC = re.compile(r"(\d{1,2})(?:\s*[/.-]\s*|\s+)(\d{1,2})(?:\s*[/.-]\s*|\s+)(\d+)")
"""A date in numbers alone, day and month first in some order: ``07/08/2019``, ``7.8.2019``."""


def _numeric_day(text: str, one: str, two: str, year_text: str, dayfirst: bool | None) -> dt.date:
    """The day a numeric date names, read as ``dayfirst`` says, or refused where that is a guess."""
    if len(year_text) != 4:
        raise DateError(f"{text!r} has a year of {len(year_text)} digits: write it with four "
                        f"(which century is a guess)")
    first, second, year = int(one), int(two), int(year_text)
    readings = {}
    for day_first, (day, month) in ((True, (first, second)), (False, (second, first))):
        try:
            readings[day_first] = dt.date(year, month, day)
        except ValueError:
            continue
    if dayfirst is not None:
        if dayfirst not in readings:
            order = "day/month/year" if dayfirst else "month/day/year"
            raise DateError(f"{text!r} is not a date read as {order} (dayfirst={dayfirst})")
        return readings[dayfirst]
    if not readings:
        raise DateError(f"{text!r} is not a date, read day first or month first")
    if len(set(readings.values())) > 1:
        day_month, month_day = readings[True], readings[False]
        raise DateError(
            f"{text!r} is ambiguous: day first it is {day_month.isoformat()}, month first "
            f"{month_day.isoformat()}; say which with dayfirst=True (as Treaty Office charts "
            f"write dates) or dayfirst=False, or write the EDTF date")
    return next(iter(readings.values()))


def optional_date(value: Date | dt.date | str | int | None) -> Date | None:
    """`Date.coerce` that lets None through: the converter of optional date fields."""
    return None if value is None else Date.coerce(value)


def _suggestion(text: str) -> str | None:
    """``write 2019-07`` when free text such as ``July 2019`` reads as a date, else None."""
    try:
        return f"write {Date.parse_loose(text)}"
    except DateError:
        return None


DateLike = Date | dt.date | str | int
"""What queries accept as a date: a `Date`, a ``datetime.date``, EDTF text or a year as an
int (``2016``)."""
