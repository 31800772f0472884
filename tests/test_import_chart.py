"""Importing treaty charts saved as CSV: names as charts write them, day-first dates, UNTC's
consent marks, coverage, and re-imports that correct rather than rewrite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline import importers
from cybertimeline._cli import main
from cybertimeline._importers.cells import chart_date, split_mark

TODAY = dt.date(2026, 1, 15)
CHART = ct.Source(title="Chart of signatures and ratifications of Treaty 185",
                  publisher="Council of Europe Treaty Office")
STATUS_FIELDS = ("status", "signed", "consented", "consent", "in_force", "withdrawn")

# Rows as the Council of Europe's chart of Treaty 185 writes them (day first, its names).
COE = """States,Signature,Ratification,Entry into Force,Notes,R.,D.,A.,T.,C.,O.
Czech Republic,09/02/2005,22/08/2013,01/12/2013,,X,X,X,,,
Republic of Moldova,23/11/2001,12/05/2009,01/09/2009,,X,X,X,,,
Türkiye,10/11/2010,29/09/2014,01/01/2015,,X,X,X,,,
United Kingdom,23/11/2001,25/05/2011,01/09/2011,,X,X,X,X,,
Slovak Republic,04/02/2005,08/01/2008,01/05/2008,,X,X,X,,,
Mauritius,,15/11/2013,01/03/2014,,,X,X,,,
"""

# Rows as the UN Treaty Collection writes them (text dates, marks, footnote numbers).
UNTC = """\
Participant,Signature,"Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"
Australia 3,13 Dec 2000,27 May 2004
Belarus,14 Dec 2000,25 Jun 2003
Bosnia and Herzegovina,12 Dec 2000,24 Apr 2002
Montenegro 4,,23 Oct 2006 d
Japan,12 Dec 2000,11 Jul 2017 A
Netherlands (Kingdom of the),12 Dec 2000,26 May 2004 A
Finland,13 Dec 2000,10 Feb 2004 AA
Korea (Democratic People's Republic of),,17 Jun 2016 a
"""


def write(tmp_path: Path, text: str, name: str = "chart.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def timeline(tmp_path: Path, name: str = "store.sqlite", today: dt.date = TODAY) -> ct.Timeline:
    return ct.create(tmp_path / name, clock=lambda: today)


def statuses(tl: ct.Timeline, instrument: str, as_of: str | None = None,
             known_at: str | None = None) -> dict[str, dict[str, object]]:
    return {actor: {f: status.to_dict()[f] for f in STATUS_FIELDS}
            for actor, status in tl.status(instrument, as_of=as_of, known_at=known_at).items()}


@pytest.mark.parametrize("name", ["store", "store.jsonl", "store.sqlite"])
@pytest.mark.parametrize(("instrument", "as_of"), [
    ("budapest-convention", None), ("budapest-convention", "2015-12-31"),
    ("un-cybercrime-convention", None)])
def test_a_chart_written_from_the_bundled_dataset_round_trips(tmp_path, name, instrument, as_of):
    """A chart written from the bundled dataset, imported into a new store, gives the same
    status, dates and kind of consent for every state."""
    bundled = ct.load()
    path = tmp_path / "chart.csv"
    rows = importers.write_chart(bundled, instrument, path, as_of=as_of)
    assert rows == len(bundled.status(instrument, as_of=as_of)) > 0
    store = timeline(tmp_path, name)
    report = importers.import_chart(store, path, instrument, CHART, as_of=as_of)
    assert report.read == len(report.added)
    assert statuses(ct.load(tmp_path / name), instrument) == statuses(bundled, instrument,
                                                                      as_of=as_of)


def test_council_of_europe_names_and_day_first_dates(tmp_path):
    """The Treaty Office's names resolve, its dates read day first, its extra columns are
    left out (and said so), and a consent without a signature is an accession."""
    store = timeline(tmp_path)
    report = importers.import_chart(store, write(tmp_path, COE), "budapest-convention", CHART,
                                    as_of="2020-01-01")
    chart = store.status("budapest-convention")
    assert set(chart) == {"CZE", "MDA", "TUR", "GBR", "SVK", "MUS"}
    assert str(chart["CZE"].signed) == "2005-02-09"
    assert str(chart["CZE"].consented) == "2013-08-22"
    assert chart["CZE"].consent == "ratification"
    assert chart["MUS"].consent == "accession"
    assert "columns not read: Notes, R., D., A., T., C., O." in report.notes
    source = store.event("cze-signature-budapest-convention").sources[0]
    assert source.locator == "row Czech Republic"
    assert str(source.published) == "2020-01-01"


def test_un_treaty_collection_marks_say_the_kind_of_consent(tmp_path):
    """a, A, AA and d after a date are accession, acceptance, approval and succession;
    footnote numbers after names are dropped."""
    store = timeline(tmp_path)
    importers.import_chart(store, write(tmp_path, UNTC), "untoc", CHART)
    chart = store.status("untoc")
    assert {a: s.consent for a, s in chart.items()} == {
        "AUS": "ratification", "BLR": "ratification", "BIH": "ratification",
        "MNE": "succession", "JPN": "acceptance", "NLD": "acceptance", "FIN": "approval",
        "PRK": "accession"}
    assert str(chart["JPN"].consented) == "2017-07-11"
    assert chart["MNE"].status == "ratified"


def test_a_consent_type_column_says_the_kind(tmp_path):
    """A 'consent type' column gives the kind; a mark that disagrees with it is an error."""
    store = timeline(tmp_path)
    chart = "state,signature,consent,consent type\nCanada,2001-11-23,2015-07-08,acceptance\n"
    importers.import_chart(store, write(tmp_path, chart), "budapest-convention", CHART)
    assert store.status("budapest-convention")["CAN"].consent == "acceptance"
    clash = "state,consent,consent type\nJapan,2012-07-03 a,approval\n"
    with pytest.raises(ct.ValidationError, match="the mark says accession, the consent type "
                                                 "approval"):
        importers.import_chart(store, write(tmp_path, clash, "b.csv"), "untoc", CHART)


def test_unknown_and_ambiguous_names_are_each_reported_at_their_line(tmp_path):
    """Every name that resolves to no actor, or to several, is listed with its line and how
    to map it; nothing is written."""
    chart = "state,signature\nCanada,2001-11-23\nAtlantis,2001-11-23\nKorea,2001-11-23\n"
    store = timeline(tmp_path)
    with pytest.raises(ct.ValidationError) as info:
        importers.import_chart(store, write(tmp_path, chart), "budapest-convention", CHART)
    atlantis, korea = info.value.problems
    assert (atlantis.line, korea.line) == (3, 4)
    assert "unknown actor 'Atlantis'" in atlantis.message
    assert "--map 'Atlantis=ACTOR'" in atlantis.message
    assert "'KOR' (Republic of Korea) or 'PRK'" in korea.message
    assert len(store) == 0
    importers.import_chart(store, write(tmp_path, chart), "budapest-convention", CHART,
                           names={"Atlantis": "ATA", "Korea": "Republic of Korea"})
    assert set(store.status("budapest-convention")) == {"CAN", "ATA", "KOR"}


@pytest.mark.parametrize(("row", "says"), [
    ("Canada,31/02/2001", "is no day"),
    ("Canada,sometime", r"write it day first \(23/11/2001 or 23 Nov 2001\)"),
    ("Canada,2021-01-01", "after the chart's date 2020-12-31"),
])
def test_bad_dates_are_reported_with_the_row_and_column(tmp_path, row, says):
    """A date that is no day, no date, or after the chart's date fails at its row."""
    with pytest.raises(ct.ValidationError, match=says) as info:
        importers.import_chart(timeline(tmp_path), write(tmp_path, f"state,signature\n{row}\n"),
                               "budapest-convention", CHART, as_of="2020-12-31")
    assert info.value.problems[0].line == 2


def test_an_entry_into_force_may_come_after_the_chart(tmp_path):
    """A chart lists entries into force announced for after its date."""
    store = timeline(tmp_path)
    chart = ("state,signature,ratification,entry into force\n"
             "Canada,2001-11-23,2015-07-08,2015-11-01\n")
    importers.import_chart(store, write(tmp_path, chart), "budapest-convention", CHART,
                           as_of="2015-07-31")
    assert store.status("budapest-convention")["CAN"].status == "party"


def test_a_state_twice_is_an_error(tmp_path):
    """Two rows of one state (under two names) fail, naming the first row."""
    chart = "state,signature\nCzechia,2005-02-09\nCzech Republic,2005-02-09\n"
    with pytest.raises(ct.ValidationError, match=r"is CZE again \(first at line 2"):
        importers.import_chart(timeline(tmp_path), write(tmp_path, chart),
                               "budapest-convention", CHART)


def test_a_complete_chart_declares_coverage_once(tmp_path):
    """Declared complete to its date, the chart makes every state it omits 'not a
    signatory' on that date (rule 10); imported again, it declares nothing more."""
    store = timeline(tmp_path)
    path = write(tmp_path, COE)
    report = importers.import_chart(store, path, "budapest-convention", CHART,
                                    as_of="2020-01-01", complete=True)
    assert report.declared == ("budapest-convention",)
    (coverage,) = store.registry.instrument("budapest-convention").coverage
    assert str(coverage.complete_until) == "2020-01-01"
    assert coverage.recorded_on == dt.date(2020, 1, 1)  # public on its date, not the import's
    again = ct.load(tmp_path / "store.sqlite", clock=lambda: TODAY)
    assert again.position("FRA", as_of="2019-06-01").treaty("budapest-convention").status == (
        "none")
    chart = again.status("budapest-convention", as_of="2019-06-01", all_actors=True)
    assert chart["CZE"].status == "party"
    assert chart["FRA"].status == "none"
    assert importers.import_chart(again, path, "budapest-convention", CHART,
                                  as_of="2020-01-01", complete=True).declared == ()
    assert len(again.registry.instrument("budapest-convention").coverage) == 1


def test_complete_needs_the_charts_date(tmp_path):
    """A chart cannot be declared complete without its date."""
    with pytest.raises(ct.TimelineError, match="needs its date"):
        importers.import_chart(timeline(tmp_path), write(tmp_path, COE), "budapest-convention",
                               CHART, complete=True)


def test_a_changed_chart_corrects_and_retracts_recorded_on_the_import_day(tmp_path):
    """A later chart with another date supersedes the act; a cell it empties retracts the
    act; the first import stays what was believed before (rule 2)."""
    first = ("state,signature,ratification\nCanada,2001-11-23,2015-07-08\n"
             "Japan,2001-11-23,2012-07-03 A\n")
    later = "state,signature,ratification\nCanada,2001-11-23,2015-07-09\nJapan,2001-11-23,\n"
    store = timeline(tmp_path, today=dt.date(2025, 1, 1))
    importers.import_chart(store, write(tmp_path, first), "budapest-convention", CHART,
                           as_of="2020-01-01")
    store = ct.load(tmp_path / "store.sqlite", clock=lambda: dt.date(2025, 6, 1))
    report = importers.import_chart(store, write(tmp_path, later, "later.csv"),
                                    "budapest-convention", CHART, as_of="2024-12-31")
    assert report.corrected == ("can-consent-budapest-convention-r2",
                                "jpn-consent-budapest-convention-retracted")
    assert report.unchanged == 2
    assert store.event("can-consent-budapest-convention-r2").recorded_on == dt.date(2025, 6, 1)
    now = store.status("budapest-convention")
    assert (str(now["CAN"].consented), now["JPN"].status) == ("2015-07-09", "signatory")
    before = store.status("budapest-convention", known_at="2025-03-01")
    assert (str(before["CAN"].consented), before["JPN"].status) == ("2015-07-08", "ratified")
    again = importers.import_chart(store, write(tmp_path, later, "later.csv"),
                                   "budapest-convention", CHART, as_of="2024-12-31")
    assert (again.added, again.corrected) == ((), ())


def test_an_unknown_instrument_needs_a_title(tmp_path):
    """A chart of an instrument the store lacks is refused unless its title is given; with
    one, the instrument is declared with the acts."""
    store = timeline(tmp_path)
    path = write(tmp_path, "state,signature\nCanada,2001-11-23\n")
    with pytest.raises(ct.UnknownInstrumentError, match="--instrument-title"):
        importers.import_chart(store, path, "example-treaty", CHART)
    importers.import_chart(store, path, "example-treaty", CHART, title="Example Treaty")
    assert ct.load(tmp_path / "store.sqlite").registry.instrument("example-treaty").title == (
        "Example Treaty")


@pytest.mark.parametrize(("text", "date", "kind"), [
    ("23/11/2001", "2001-11-23", None), ("7.8.2019", "2019-08-07", None),
    ("12 Dec 2002 a", "2002-12-12", "accession"), ("12 December 2002 AA", "2002-12-12",
                                                   "approval"),
    ("3 Sep 2003 A", "2003-09-03", "acceptance"), ("23 Oct 2006 d", "2006-10-23", "succession"),
    ("2015", "2015", None), ("2015-07", "2015-07", None), ("2019-07-08", "2019-07-08", None),
])
def test_chart_cells_read_day_first_with_their_marks(text, date, kind):
    """Dates are day first or EDTF, keeping their precision; a UNTC mark gives the kind."""
    written, found = split_mark(text)
    assert (str(chart_date(written)), found) == (date, kind)


def test_the_command_imports_a_chart_and_declares_it_complete(tmp_path, capsys):
    """``cybertimeline import-chart`` with --as-of and --complete writes the acts and the
    coverage; ``status --all`` then says 'not a signatory'."""
    into = str(tmp_path / "charts")
    assert main(["import-chart", str(write(tmp_path, COE)), "--into", into,
                 "--instrument", "budapest-convention", "--publisher",
                 "Council of Europe Treaty Office", "--as-of", "2020-01-01", "--complete"]) == 0
    assert "17 records read, 17 added" in capsys.readouterr().out
    assert main(["--events", into, "status", "budapest-convention", "--as-of", "2019-12-31",
                 "--all"]) == 0
    out = capsys.readouterr().out
    assert "not a signatory" in out
    assert "Antarctica" not in out
    title = ct.load(into).event("mus-consent-budapest-convention").sources[0].title
    assert title == ("Chart of signatures and ratifications of the Convention on Cybercrime "
                     "(Budapest Convention)")


def test_the_command_maps_names(tmp_path, capsys):
    """--map NAME=ACTOR resolves a name the registry does not know."""
    chart = write(tmp_path, "state,signature\nAtlantis,2001-11-23\n")
    into = str(tmp_path / "x.jsonl")
    args = ["import-chart", str(chart), "--into", into, "--instrument", "budapest-convention"]
    assert main(args) == 1
    assert "--map 'Atlantis=ACTOR'" in capsys.readouterr().err
    assert not Path(into).exists()
    assert main([*args, "--map", "Atlantis=Antarctica"]) == 0


def test_a_cleared_cell_of_an_undated_chart_retracts_the_act_on_the_import_day(tmp_path):
    """A chart without --as-of whose row no longer shows an act retracts it too, dated the
    import day (the day the record is known to have changed) (issue 26, Low)."""
    first = "state,signature,ratification\nJapan,2001-11-23,2012-07-03 A\n"
    later = "state,signature,ratification\nJapan,2001-11-23,\n"
    store = timeline(tmp_path, today=dt.date(2025, 1, 1))
    importers.import_chart(store, write(tmp_path, first), "budapest-convention", CHART)
    store = ct.load(tmp_path / "store.sqlite", clock=lambda: dt.date(2025, 6, 1))
    report = importers.import_chart(store, write(tmp_path, later, "later.csv"),
                                    "budapest-convention", CHART)
    assert report.corrected == ("jpn-consent-budapest-convention-retracted",)
    retraction = store.event("jpn-consent-budapest-convention-retracted")
    assert (str(retraction.date), retraction.recorded_on) == ("2025-06-01", dt.date(2025, 6, 1))
    assert store.status("budapest-convention")["JPN"].status == "signatory"


@pytest.mark.parametrize(("row", "says"), [
    ("Canada,2001-11-23,2015-07-08,2001-01-01", "entry into force 2001-01-01 is before the "
                                                "signature 2001-11-23"),
    ("Canada,,2015-07-08,2015-01-01", "entry into force 2015-01-01 is before the consent "
                                      "2015-07-08"),
])
def test_an_entry_into_force_before_the_signature_or_consent_is_refused(tmp_path, row, says):
    """A state is bound from its entry into force, which follows its consent (and any
    signature): a row that says otherwise is a mistake, reported at its line."""
    chart = f"state,signature,ratification,entry into force\n{row}\n"
    with pytest.raises(ct.ValidationError, match=says) as info:
        importers.import_chart(timeline(tmp_path), write(tmp_path, chart),
                               "budapest-convention", CHART)
    assert info.value.problems[0].line == 2


def test_the_notes_count_the_consents_read_without_a_mark_or_type(tmp_path):
    """Consents with neither a mark nor a consent type are counted in the notes (a chart with
    a mark or type on every consent has no such note); a mark that agrees with the type is
    no clash."""
    untc = importers.read_chart(write(tmp_path, UNTC), "untoc", CHART)
    assert ("3 consents without a mark or type read as ratifications where the state signed, "
            "else accessions") in untc.notes
    marked = "state,signature,consent,consent type\nJapan,2000-12-12,2017-07-11 A,acceptance\n"
    read = importers.read_chart(write(tmp_path, marked, "m.csv"), "untoc", CHART)
    assert read.notes == ()
    assert [(e.kind, str(e.date)) for e in read.events] == [
        ("signature", "2000-12-12"), ("acceptance", "2017-07-11")]
