"""Dates: EDTF parsing and formatting, bounds, precision, qualifiers, the loose parser, order."""

from __future__ import annotations

import datetime as dt

import pytest

import cybertimeline as ct


@pytest.mark.parametrize(
    ("text", "earliest", "latest", "precision"),
    [
        ("2015", dt.date(2015, 1, 1), dt.date(2015, 12, 31), ct.Precision.YEAR),
        ("2019-07", dt.date(2019, 7, 1), dt.date(2019, 7, 31), ct.Precision.MONTH),
        ("2020-02", dt.date(2020, 2, 1), dt.date(2020, 2, 29), ct.Precision.MONTH),
        ("2019-02", dt.date(2019, 2, 1), dt.date(2019, 2, 28), ct.Precision.MONTH),
        ("2015-07-08", dt.date(2015, 7, 8), dt.date(2015, 7, 8), ct.Precision.DAY),
        ("2022-01-17/2022-01-28", dt.date(2022, 1, 17), dt.date(2022, 1, 28), ct.Precision.DAY),
        ("2021-05/2021-05-12", dt.date(2021, 5, 1), dt.date(2021, 5, 12), ct.Precision.MONTH),
        ("2001/2004-03", dt.date(2001, 1, 1), dt.date(2004, 3, 31), ct.Precision.YEAR),
    ],
)
def test_parse_gives_bounds_and_precision(text, earliest, latest, precision):
    """Each EDTF level-0 form spans the days from its first to its last, at its precision."""
    date = ct.Date.parse(text)
    assert date.earliest == earliest
    assert date.latest == latest
    assert date.precision is precision


@pytest.mark.parametrize(
    "text",
    ["2015", "2019-07", "2015-07-08", "2022-01-17/2022-01-28", "2015?", "2019-07~",
     "2015-07-08%", "2019?/2020-03~", "0001", "9999-12-31"],
)
def test_str_gives_back_the_parsed_text(text):
    """``str()`` of a parsed canonical text is that same text."""
    assert str(ct.Date.parse(text)) == text


@pytest.mark.parametrize(
    ("text", "uncertain", "approximate"),
    [("2015", False, False), ("2015?", True, False), ("2015~", False, True),
     ("2015%", True, True), ("2019-07-01?/2019-08", True, False),
     ("2019-07/2019-08~", False, True)],
)
def test_qualifiers_set_flags(text, uncertain, approximate):
    """``?`` marks a date uncertain, ``~`` approximate, ``%`` both."""
    date = ct.Date.parse(text)
    assert date.uncertain is uncertain
    assert date.approximate is approximate


def test_qualifier_keeps_bounds():
    """A qualifier changes neither the earliest nor the latest day."""
    plain, qualified = ct.Date.parse("2019-07"), ct.Date.parse("2019-07~")
    assert (qualified.earliest, qualified.latest) == (plain.earliest, plain.latest)
    assert qualified != plain


def test_is_day_only_for_one_unqualified_day():
    """Only a single exact day without qualifier is a day."""
    assert ct.Date.parse("2015-07-08").is_day
    assert not ct.Date.parse("2015-07-08?").is_day
    assert not ct.Date.parse("2015-07").is_day
    assert not ct.Date.parse("2015-07-08/2015-07-09").is_day


def test_interval_ends():
    """An interval knows its two ends; a point is its own start and end."""
    date = ct.Date.parse("2022-02-28/2022-03-11")
    assert date.is_interval
    assert str(date.start) == "2022-02-28"
    assert str(date.end) == "2022-03-11"
    point = ct.Date.parse("2015")
    assert not point.is_interval
    assert point.start == point == point.end


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2019-02-30", "day 30"),
        ("2019-13", "month 13"),
        ("July", "not an EDTF date"),
        ("2019-7-1", "two digits"),
        ("2020/2019", "ends before it starts"),
        ("2020-03-02/2020-03-01", "ends before it starts"),
        ("", "empty"),
        ("   ", "empty"),
        ("0000", "year 0000"),
        ("2019-00", "month 00"),
        ("2019-04-31", "day 31"),
        ("2019-02-29", "day 29"),
        ("2019/", "interval"),
        ("/2019", "interval"),
        ("2019/2020/2021", "interval"),
        (" 2019", "spaces"),
        ("2019-07-01T00:00", "not an EDTF date"),
        ("19", "not an EDTF date"),
    ],
)
def test_invalid_text_raises_date_error_saying_why(text, says):
    """Invalid EDTF raises DateError (a ValidationError and a ValueError) saying what is wrong."""
    with pytest.raises(ct.DateError) as info:
        ct.Date.parse(text)
    assert isinstance(info.value, ct.ValidationError)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ct.TimelineError)
    assert says in str(info.value)


def test_date_error_is_catchable_as_value_error():
    """Code that catches ValueError catches an invalid date."""
    with pytest.raises(ValueError, match="2019-13"):
        ct.Date.parse("2019-13")


def test_parse_refuses_non_text():
    """A number is not a date text."""
    with pytest.raises(ct.DateError):
        ct.Date.parse(2019)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 2019", "2019-07"),
        ("8 Jul 2015", "2015-07-08"),
        ("23 November 2001", "2001-11-23"),
        ("2015", "2015"),
        ("March 2021", "2021-03"),
    ],
)
def test_parse_loose_keeps_the_precision_given(text, expected):
    """The loose parser reads free text and keeps only what the text says."""
    assert str(ct.Date.parse_loose(text)) == expected


@pytest.mark.parametrize("text", ["", "July", "no date here", "8 July"])
def test_parse_loose_refuses_text_without_a_year(text):
    """Free text with no date, or no year, raises DateError."""
    with pytest.raises(ct.DateError):
        ct.Date.parse_loose(text)


@pytest.mark.parametrize("text", ["07/08/2019", "7.8.2019", "07-08-2019", "7 / 8 / 2019"])
def test_parse_loose_refuses_a_numeric_date_it_would_have_to_guess(text):
    """07/08/2019 is 7 August or 8 July: refused, with both readings and the fix."""
    with pytest.raises(ct.DateError) as error:
        ct.Date.parse_loose(text)
    message = str(error.value)
    assert "ambiguous" in message
    assert "2019-08-07" in message
    assert "2019-07-08" in message
    assert "dayfirst=True" in message


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("07/08/2019", True, "2019-08-07"),
        ("07/08/2019", False, "2019-07-08"),
        ("13/07/2019", None, "2019-07-13"),
        ("07/13/2019", None, "2019-07-13"),
        ("07/07/2019", None, "2019-07-07"),
        ("23.11.2001", True, "2001-11-23"),
        ("2019/07/08", None, "2019-07-08"),
        ("8 Jul 2015", None, "2015-07-08"),
    ],
)
def test_parse_loose_reads_numeric_dates_as_dayfirst_says(text, dayfirst, expected):
    """With dayfirst, or where only one reading is a date, a numeric date is read."""
    assert str(ct.Date.parse_loose(text, dayfirst=dayfirst)) == expected


@pytest.mark.parametrize(
    ("text", "dayfirst", "says"),
    [
        ("13/07/2019", False, "month/day/year"),
        ("07/13/2019", True, "day/month/year"),
        ("31/02/2019", None, "not a date"),
        ("07/08/19", True, "four"),
    ],
)
def test_parse_loose_refuses_what_dayfirst_cannot_read(text, dayfirst, says):
    """A numeric date impossible in the order asked, or with a two-digit year, is refused."""
    with pytest.raises(ct.DateError, match=says):
        ct.Date.parse_loose(text, dayfirst=dayfirst)


def test_from_date_and_coerce():
    """A ``datetime.date`` becomes a day; coerce accepts Date, date and text alike."""
    day = dt.date(2015, 7, 8)
    assert str(ct.Date.from_date(day)) == "2015-07-08"
    assert ct.Date.coerce(day) == ct.Date.coerce("2015-07-08") == ct.Date.parse("2015-07-08")
    date = ct.Date.parse("2015")
    assert ct.Date.coerce(date) is date


def test_equal_dates_hash_equal():
    """Dates parsed from the same text are equal and hash alike, so they work in sets."""
    assert ct.Date.parse("2019-07") == ct.Date.parse("2019-07")
    assert hash(ct.Date.parse("2019-07")) == hash(ct.Date.parse("2019-07"))
    assert len({ct.Date.parse("2019-07"), ct.Date.parse("2019-07"), ct.Date.parse("2019")}) == 2


def test_sorting_follows_the_canonical_key():
    """Dates sort by latest day, then earliest day: a year sorts after the days within it."""
    texts = ["2015", "2015-12-31", "2015-07", "2015-07-08", "2015-01-01/2015-12-31",
             "2014-06/2015-07-31"]
    ordered = [str(d) for d in sorted(ct.Date.parse(t) for t in texts)]
    assert ordered == ["2015-07-08", "2014-06/2015-07-31", "2015-07", "2015",
                       "2015-01-01/2015-12-31", "2015-12-31"]


def test_same_bounds_still_compare_apart():
    """Two different dates with the same bounds are ordered, not equal."""
    a, b = ct.Date.parse("2015"), ct.Date.parse("2015-01-01/2015-12-31")
    assert a != b
    assert (a < b) != (b < a)
    assert a <= b or b <= a
    assert not (a <= b and b <= a)


def test_comparison_with_other_types_is_refused():
    """Comparing a Date with a non-date is a TypeError, not a silent answer."""
    with pytest.raises(TypeError):
        _ = ct.Date.parse("2015") < "2016"
    assert ct.Date.parse("2015") != "2015"


def test_month_lengths_are_the_calendar_modules() -> None:
    """The month lengths that bound partial dates, for every year EDTF level 0 allows."""
    import calendar

    from cybertimeline._model.dates import _days_in_month

    assert all(_days_in_month(year, month) == calendar.monthrange(year, month)[1]
               for year in range(1, 10_000) for month in range(1, 13))
