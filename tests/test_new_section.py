"""A kind with a section of its own is its class plus its section spec, and nothing else.

This module defines, here in the test suite, a ``sanction`` kind (an actor sanctions a
target with a measure) that writes a new ``sanctions`` section, keyed by target, and
registers that section's spec (`ct.register_section`). No module of the library
names either; the tests check that the sanction flows through every output: the
fold and the prefix positions agree, text, HTML, JSON, the changelog, diffs,
panels, rows and CSV, the plot, the palette, the site. The last test checks, for
every registered section, that folding an event changes only the sections its
kind declares.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Literal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._model import palette
from cybertimeline._model.fields import actor_id, one_of
from cybertimeline._projections import sections as table
from cybertimeline._projections.section_table import BUILTIN
from cybertimeline._reports.frames import panel_row
from cybertimeline._reports.rows import event_row, write_csv
from tests import reference as ref
from tests import strategies as s

Measure = Literal["asset-freeze", "travel-ban", "lifted"]
MEASURES: tuple[Measure, ...] = ("asset-freeze", "travel-ban", "lifted")


@attrs.frozen(kw_only=True)
class Sanction(ct.BaseEvent):
    """An actor sanctions a target: the whole kind, declared once."""

    kind: ClassVar[str] = "sanction"
    headline: ClassVar[str] = "{actor} sanctions {target}: {measure}"
    actor_fields: ClassVar[tuple[str, ...]] = ("actor", "target")
    writes: ClassVar[tuple[ct.Write, ...]] = (ct.Write("sanctions", "target", "actor"),)
    verbs: ClassVar[tuple[str, str]] = ("sanctions", "sanctioned")

    actor: str = attrs.field(validator=actor_id)
    target: str = attrs.field(validator=actor_id)
    measure: Measure = attrs.field(validator=one_of(MEASURES))

    def value(self, actor: str) -> str | None:
        return self.measure

    @property
    def subject(self) -> str:
        return self.target


@attrs.frozen(kw_only=True)
class SanctionEntry:
    """The latest measure of the actor against one target."""

    target: str
    measure: str
    date: ct.Date
    event: Sanction

    @property
    def event_id(self) -> str:
        return self.event.id

    def to_dict(self) -> dict[str, Any]:
        return {"measure": self.measure, "date": str(self.date), "event": self.event.id}

    @classmethod
    def of(cls, event: Sanction, actor: str) -> SanctionEntry:
        return cls(target=event.target, measure=event.measure, date=event.date, event=event)


COLOURS = {"asset-freeze": "#604E97", "travel-ban": "#B3446C", "lifted": "#654522"}

SPEC = ct.SectionSpec(name="sanctions", title="Sanctions", noun="sanction", plural="sanctions",
                      make=SanctionEntry.of, keyed=True, keys="actor", value="measure",
                      colours=COLOURS, marker="v")
"""The section's spec: all the library is told of it (its text, HTML and changelog
sentences are the defaults)."""


@pytest.fixture(autouse=True)
def sanctions() -> Iterator[ct.SectionSpec]:
    """The kind and its section registered for each test; after, the kinds, the table and
    the palette as they were (registration is for the whole process)."""
    held, colours = dict(table._TABLE), dict(palette._ADDED)
    ct.register_kind(Sanction)
    ct.register_section(SPEC)
    yield SPEC
    ct.unregister_kind("sanction")
    table._TABLE.clear()
    table._TABLE.update(held)
    table._changed()
    palette._ADDED.clear()
    palette._ADDED.update(colours)


def _source() -> ct.Source:
    return ct.Source(title="Sanctions register", url="https://sanctions.example.org/")


def _sanction(number: int, date: str, target: str, measure: str,
              actor: str = "USA") -> Sanction:
    return Sanction(id=f"sanction-{number}", date=date, sources=(_source(),), actor=actor,
                    target=target, measure=measure)  # type: ignore[arg-type]


EVENTS = (
    _sanction(1, "2014-03-17", "RUS", "asset-freeze"),
    _sanction(2, "2018-04-06", "RUS", "travel-ban"),
    _sanction(3, "2020-07-30", "CHN", "asset-freeze"),
    _sanction(4, "2021-01-10", "CHN", "lifted"),
)


@pytest.fixture(scope="module")
def bundled() -> ct.Timeline:
    return ct.load()


@pytest.fixture
def timeline(bundled: ct.Timeline) -> ct.Timeline:
    """The bundled dataset and the sanctions, in memory."""
    # `Event` is the union of the built-in kinds: a timeline in memory takes any kind.
    return ct.Timeline([*bundled.events(include_corrected=True), *EVENTS],  # type: ignore[list-item]
                       registry=bundled.registry)


def test_fold_and_prefix_positions_agree(timeline: ct.Timeline) -> None:
    """`tl.position()` (prefix positions) holds the section as the fold does, on any day."""
    events = list(timeline.events("USA"))
    for day in ("2013-01-01", "2016-01-01", "2020-12-31", "2022-01-01"):
        answer = timeline.position("USA", as_of=day)
        settled = [e for e in events if e.date.latest <= dt.date.fromisoformat(day)]
        folded = ct.fold(ct.PositionProjection("USA"), settled)
        assert answer.section("sanctions") == folded.section("sanctions")
        assert answer.sections == folded.sections
        assert {k: v for k, v in answer.to_dict().items() if k in answer.sections} == {
            k: v for k, v in folded.to_dict().items() if k in folded.sections}
    latest = timeline.position("USA", as_of="2020-12-31").section("sanctions")
    assert {k: e.measure for k, e in latest.items()} == {"RUS": "travel-ban",
                                                         "CHN": "asset-freeze"}


@pytest.mark.parametrize("shape", [{"keyed": False}, {"removes": True}])
def test_fold_and_prefix_positions_agree_on_a_folded_section(
        bundled: ct.Timeline, shape: dict[str, bool]) -> None:
    """Listed, or keyed with entries that may be removed, the section is folded by the
    prefix positions, not read through its keys' writes; they still agree with the fold."""
    ct.register_section(attrs.evolve(SPEC, **shape))  # type: ignore[arg-type]
    tl = ct.Timeline([*bundled.events("USA"), *EVENTS],  # type: ignore[list-item]
                     registry=bundled.registry)
    events = list(tl.events("USA"))
    for day in ("2016-01-01", "2020-12-31", "2022-01-01"):
        settled = [e for e in events if e.date.latest <= dt.date.fromisoformat(day)]
        folded = ct.fold(ct.PositionProjection("USA"), settled)
        assert tl.position("USA", as_of=day).sections == folded.sections
        assert folded.section("sanctions")


def test_text_html_and_json(timeline: ct.Timeline) -> None:
    """The section prints, shows as a table with coloured badges, and writes JSON."""
    position = timeline.position("USA", as_of="2020-12-31")
    text = str(position)
    assert "\nSanctions\n" in text
    assert any(line.split()[:2] == ["RUS", "travel-ban"] for line in text.splitlines())
    html = position.html()
    assert "Sanctions</h4>" in html
    assert f"background:{COLOURS['travel-ban']}" in html
    found = json.loads(json.dumps(position.to_dict()))
    assert found["sanctions"] == {
        "CHN": {"measure": "asset-freeze", "date": "2020-07-30", "event": "sanction-3"},
        "RUS": {"measure": "travel-ban", "date": "2018-04-06", "event": "sanction-2"}}
    assert list(found).index("sanctions") == list(found).index("legislation") + 1
    assert "2 sanctions" in repr(position)
    assert {e.id for e in position.events()} >= {"sanction-2", "sanction-3"}


def test_changelog_and_diff(timeline: ct.Timeline) -> None:
    """Each new measure is a change, read as its event's headline; a diff sees it too."""
    log = timeline.changelog("USA", since="2018-01-01", until="2021-12-31")
    ours = [c for c in log.changes if c.section == "sanctions"]
    assert [(c.key, c.after.measure) for c in ours] == [  # type: ignore[union-attr]
        ("RUS", "travel-ban"), ("CHN", "asset-freeze"), ("CHN", "lifted")]
    markdown = log.to_markdown()
    assert "United States" in markdown
    assert "sanctions" in markdown
    assert "United States of America sanctions China: lifted" in markdown
    assert json.dumps(log.to_dict())
    diff = ct.diff_positions(timeline.position("USA", as_of="2015-01-01"),
                             timeline.position("USA", as_of="2022-01-01"))
    changed = {c.path: (c.before, c.after) for c in diff if c.section == "sanctions"}
    assert set(changed) == {"sanctions.RUS", "sanctions.CHN"}
    assert ct.position_facts(timeline.position("USA"))["sanctions.CHN"]["measure"] == "lifted"


def test_panels_rows_and_csv(timeline: ct.Timeline) -> None:
    """A panel has a column per target; an event row and its CSV name both actors."""
    assert panel_row(timeline.position("USA", as_of="2019-01-01"))["sanctions.RUS"] == (
        "travel-ban")
    frame = ct.positions_frame(timeline, "USA", ["2019-01-01", "2022-01-01"])
    assert list(frame["sanctions.CHN"]) == [pytest.approx(float("nan"), nan_ok=True), "lifted"]
    row = event_row(EVENTS[0])  # type: ignore[arg-type]
    assert (row["kind"], row["actor"], row["actors"]) == ("sanction", "USA", ["USA", "RUS"])
    stream = io.StringIO()
    write_csv([event_row(e) for e in timeline.events("RUS") if e.kind == "sanction"], stream)
    assert "sanction-2,sanction,2018-04-06" in stream.getvalue()
    assert len(ct.events_frame(timeline, "CHN").query("kind == 'sanction'")) == 2


def test_plot_and_palette(timeline: ct.Timeline) -> None:
    """The plot marks each sanction in its actor's lane, in its measure's colour, and the
    legend names it; the palette gives each measure its colour."""
    pytest.importorskip("matplotlib")
    chart = ct.plot(timeline, ["USA"], since="2014-01-01", until="2021-12-31")
    marks = [m for m in chart.marks if m.section == "sanctions"]
    assert [(m.event, m.value) for m in marks] == [(e.id, e.measure) for e in EVENTS]
    labels = [t.get_text() for t in chart.figure.legends[0].get_texts()]
    assert {"sanction: asset-freeze", "sanction: travel-ban", "sanction: lifted"} <= set(labels)
    assert {palette.colour(m) for m in MEASURES} == set(COLOURS.values())
    with pytest.raises(ValueError, match="already has the colour"):
        ct.register_section(attrs.evolve(SPEC, colours={"yes": "#604E97"}))


def test_site_lists_the_section(timeline: ct.Timeline, tmp_path: Path) -> None:
    """The site's page of an actor lists its sanctions among its facts, linked to the
    target's page."""
    ct.build_site(timeline, tmp_path / "site", today="2022-01-01")
    data = "".join(p.read_text(encoding="utf-8")
                   for p in (tmp_path / "site" / "data" / "actor").glob("USA*"))
    assert '"sanctions"' in data
    assert "actor/RUS.html" in data


def test_an_unregistered_section_is_named() -> None:
    """A kind writing a section no spec describes fails with a message that says how to
    register one, not with a bare KeyError deep in the fold."""
    table._TABLE.pop("sanctions")
    table._changed()
    with pytest.raises(KeyError, match="register_section"):
        ct.fold(ct.PositionProjection("USA"), [EVENTS[0]])  # type: ignore[list-item]


def test_a_section_registered_after_a_first_answer(bundled: ct.Timeline) -> None:
    """A timeline that answered before the section was registered (its prefix positions
    already built) answers with it after, as a fold does."""
    table._TABLE.pop("sanctions")
    table._changed()
    tl = ct.Timeline([*bundled.events("USA"), *EVENTS],  # type: ignore[list-item]
                     registry=bundled.registry)
    assert "sanctions" not in tl.position("USA", as_of="2010-01-01").to_dict()
    ct.register_section(SPEC)
    answer = tl.position("USA", as_of="2022-01-01")
    assert {k: e.measure for k, e in answer.section("sanctions").items()} == {
        "RUS": "travel-ban", "CHN": "lifted"}


STORES = {"folder": "store", "jsonl": "store.jsonl", "sqlite": "store.sqlite"}


def _stored_and_read(where: str) -> None:
    """Append the sanctions to a new store at ``where``, then read them back from it:
    loaded, validated, queried by kind, and folded into the section."""
    ct.create(where).extend(EVENTS)  # type: ignore[arg-type]
    again = ct.load(where)
    read: list[Any] = list(again.events(kind="sanction"))
    assert [attrs.evolve(e, stamped=None) for e in read] == list(EVENTS)
    assert all(isinstance(e, Sanction) and e.stamped is not None for e in read)
    again.validate()
    position = again.position("USA", as_of="2020-12-31")
    assert {k: e.measure for k, e in position.section("sanctions").items()} == {
        "RUS": "travel-ban", "CHN": "asset-freeze"}
    assert again.position("CHN").section("sanctions") == {}
    assert [e.id for e in again.events("CHN", kind=["sanction"])] == ["sanction-3", "sanction-4"]


@pytest.mark.parametrize("store", STORES)
def test_a_registered_kind_round_trips_through_every_file_store(
        store: str, tmp_path: Path) -> None:
    """A folder of TOML, JSON Lines and SQLite keep the registered kind, read it back as
    itself, validate it, and fold its section from what they read."""
    _stored_and_read(str(tmp_path / STORES[store]))
    if store == "folder":
        written = "".join(p.read_text(encoding="utf-8")
                          for p in (tmp_path / "store").rglob("*.toml"))
        assert 'kind = "sanction"' in written
        assert 'measure = "travel-ban"' in written


def test_a_registered_kind_round_trips_through_postgres() -> None:
    """A PostgreSQL store (a real server the tests start) keeps it too."""
    from tests.postgres_server import require

    _stored_and_read(require().new_store_url())


def test_the_codec_knows_a_registered_kind_and_forgets_it() -> None:
    """The converters are made again when a kind comes or goes: a dict of the kind reads
    back as the event; a misspelt kind is told the registered one; once unregistered,
    the kind is refused with the named error and the kinds known."""
    data = ct.event_to_dict(EVENTS[1])  # type: ignore[arg-type]
    assert (data["kind"], data["target"], data["measure"]) == ("sanction", "RUS", "travel-ban")
    read_back: Any = ct.event_from_dict(data)
    assert read_back == EVENTS[1]
    with pytest.raises(ct.ValidationError, match="did you mean 'sanction'"):
        ct.event_from_dict({**data, "kind": "sanctoin"})
    with pytest.raises(ct.ValidationError, match=r"unknown field 'measures'.*did you mean "
                                                 r"'measure'"):
        ct.event_from_dict({**data, "measures": "lifted"})
    ct.unregister_kind("sanction")
    with pytest.raises(ct.ValidationError, match="unknown kind 'sanction': "
                                                 "did you mean 'retraction'"):
        ct.event_from_dict(data)
    ct.register_kind(Sanction)
    read_back = ct.event_from_dict(data)
    assert read_back == EVENTS[1]


def test_a_store_with_an_unregistered_kind_is_refused_by_name(tmp_path: Path) -> None:
    """A store written while the kind was registered, loaded once it is not, fails with a
    ValidationError naming the file, the line and the kinds known, not a traceback."""
    ct.create(tmp_path / "store.jsonl").extend(EVENTS)  # type: ignore[arg-type]
    ct.unregister_kind("sanction")
    with pytest.raises(ct.ValidationError) as caught:
        ct.load(tmp_path / "store.jsonl")
    message = str(caught.value)
    assert message.startswith("4 problems")
    assert "store.jsonl:2: event 'sanction-1': unknown kind 'sanction'" in message
    assert "unknown kind 'sanction': did you mean 'retraction'?" in message


def test_register_kind_refuses_what_is_not_a_kind() -> None:
    """A class that is no event, has no tag, or takes another's tag is refused by name;
    registering the same class again changes nothing; built-in kinds stay."""
    assert ct.register_kind(Sanction) is Sanction
    with pytest.raises(TypeError, match="not a kind of event"):
        ct.register_kind(SanctionEntry)  # type: ignore[type-var]

    @attrs.frozen(kw_only=True)
    class Untagged(ct.BaseEvent):
        pass

    with pytest.raises(ValueError, match="declares no kind"):
        ct.register_kind(Untagged)

    @attrs.frozen(kw_only=True)
    class Impostor(ct.BaseEvent):
        kind: ClassVar[str] = "vote"

    with pytest.raises(ValueError, match="the kind 'vote' is already"):
        ct.register_kind(Impostor)

    @attrs.frozen(kw_only=True)
    class Unresolved(ct.BaseEvent):
        kind: ClassVar[str] = "unresolved"
        measure: Nowhere  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(TypeError, match="Unresolved name types that cannot be found"):
        ct.register_kind(Unresolved)
    read_back: Any = ct.event_from_dict(ct.event_to_dict(EVENTS[0]))  # type: ignore[arg-type]
    assert read_back == EVENTS[0]  # the converters still read the kinds registered
    with pytest.raises(ValueError, match="built-in kind"):
        ct.unregister_kind("vote")


def test_the_command_line_offers_a_registered_kind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--kind`` lists the registered kind among its choices, and filters by it."""
    from cybertimeline._cli import main

    where = tmp_path / "store.sqlite"
    ct.create(where).extend(EVENTS)  # type: ignore[arg-type]
    assert main(["timeline", "--events", str(where), "--kind", "sanction", "CHN"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2:4] for line in lines[1:-1]] == [["USA", "sanction-3"],
                                                           ["USA", "sanction-4"]]
    assert lines[-1] == "2 events"
    assert main(["timeline", "--events", str(where), "--kind", "sanctoin"]) == 2
    assert "'retraction', 'sanction', 'session'" in capsys.readouterr().err


def _architecture_example() -> str:
    """The example of docs/architecture.md that adds a kind with a section of its own."""
    page = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page.split("## Extending: a kind with a section of its own", 1)[1]
    # Fenced `python3`, not `python`: tests/test_docs_examples.py runs the pages' python
    # blocks in one process, and this one registers a kind and a section for good.
    return section.split("```python3\n", 1)[1].split("```", 1)[0]


def test_the_documented_example_is_complete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example of docs/architecture.md, run as written with neither this module's kind
    nor its section registered, is all it takes: its event is stored in JSON Lines, read
    back, validated and folded into its section."""
    ct.unregister_kind("sanction")
    table._TABLE.pop("sanctions")
    table._changed()
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {"__name__": "architecture_example"}
    # As the page is run: without this module's `from __future__ import annotations`.
    code = compile(_architecture_example(), "docs/architecture.md", "exec", dont_inherit=True)
    exec(code, namespace)
    stored = ct.load(tmp_path / "sanctions.jsonl")
    (event,) = stored.events()
    assert type(event) is namespace["Sanction"]
    assert stored.position("USA").section("sanctions")["RUS"].measure == "asset-freeze"


_SANCTIONS = st.builds(
    lambda number, day, target, measure, actor: _sanction(number, day, target, measure, actor),
    st.integers(0, 99), st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)).map(str),
    st.sampled_from(s.STATES), st.sampled_from(MEASURES), st.sampled_from(s.STATES))


@settings(max_examples=80)
@given(st.lists(s.events() | _SANCTIONS, max_size=6), s.events() | _SANCTIONS,
       st.sampled_from(s.ACTORS))
def test_folding_an_event_changes_only_the_sections_it_declares(
        before: list[Any], event: Any, actor: str) -> None:
    """For every registered section (the new one too): folding an event into any position
    changes only the sections its kind's writes name for the actor, and every section a
    position holds is a registered one."""
    projection = ct.PositionProjection(actor)
    state = ct.fold(projection, before)
    after = projection.apply(state, event)
    declared = {section for section, _ in event.entries(actor)}
    changed = {spec.name for spec in ct.sections()
               if after.section(spec.name) != state.section(spec.name)}
    assert changed <= declared
    assert set(after.sections) == {spec.name for spec in ct.sections()}
    assert set(after.to_dict()) >= set(after.sections)


@pytest.mark.parametrize("name", ["actor", "coverage", "not_yet_open", "possible", "to_dict",
                                  "sources", "events", "sanctions.eu", "Sanctions", "my sanctions",
                                  "\x1b[31mred", "", "_hidden"])
def test_a_section_may_not_take_a_positions_own_name(name: str) -> None:
    """A section named as a position's field would overwrite that key of its JSON
    (``"actor": {}``); one that is not a plain lowercase name breaks its changes' paths
    (``section.key``). Both are refused, and the table is left as it was."""
    before = ct.sections()
    with pytest.raises(ValueError, match="may not be called"):
        ct.register_section(attrs.evolve(SPEC, name=name, colours={}))
    assert ct.sections() == before
    assert ct.Position(actor="USA").to_dict()["actor"] == "USA"


def test_the_reserved_names_are_every_public_name_of_a_position() -> None:
    """Every public attribute of `Position` that is not a section is reserved, so a new
    field or method of a position cannot be taken by a section unseen."""
    builtin = {spec.name for spec in BUILTIN}
    own = {name for name in dir(ct.Position) if not name.startswith("_")}
    assert own - builtin <= table.RESERVED
    registered = {spec.name for spec in ct.sections()}
    assert set(ct.Position(actor="USA").to_dict()) - registered <= table.RESERVED


def _lifted_is_none(event: Sanction, actor: str) -> SanctionEntry | None:
    return None if event.measure == "lifted" else SanctionEntry.of(event, actor)


@pytest.mark.parametrize("removes", [False, True])
def test_an_entry_made_none_removes_only_where_the_section_says_so(
        bundled: ct.Timeline, removes: bool) -> None:
    """A keyed section whose ``make`` returns None: with ``removes`` the key is removed, by
    the fold and the prefix positions alike; without, both refuse with a message naming
    the section and the event (the fold dropped the key, the prefix positions failed an
    assertion deep inside)."""
    ct.register_section(attrs.evolve(SPEC, make=_lifted_is_none, removes=removes))
    tl = ct.Timeline([*bundled.events("USA"), *EVENTS],  # type: ignore[list-item]
                     registry=bundled.registry)
    events = [e for e in tl.events("USA") if e.date.latest <= dt.date(2022, 1, 1)]
    if removes:
        folded = ct.fold(ct.PositionProjection("USA"), events)
        assert set(folded.section("sanctions")) == {"RUS"}
        assert tl.position("USA", as_of="2022-01-01").sections == folded.sections
        return
    with pytest.raises(ValueError, match="'sanctions' made no entry for event 'sanction-4'"):
        ct.fold(ct.PositionProjection("USA"), events)
    with pytest.raises(ValueError, match="'sanctions' made no entry for event 'sanction-4'"):
        dict(tl.position("USA", as_of="2022-01-01").section("sanctions").items())
    assert set(tl.position("USA", as_of="2020-12-31").section("sanctions")) == {"RUS", "CHN"}


@pytest.mark.parametrize("colours", [
    {"embargo": palette.VALUE_COLOURS["yes"]},            # a vote option's
    {"embargo": palette.STATUS_COLOURS["party"].lower()},  # a treaty status's, in lower case
    {"embargo": "#111111", "tariff": "#111111"},  # two of its own values
])
def test_a_section_may_not_take_a_colour_another_value_has(colours: dict[str, str]) -> None:
    """One colour, one meaning: a section's value may not take a colour another value
    already has (an embargo drawn in the blue of a yes vote); the palette and the
    table are left as they were."""
    before, held = ct.sections(), palette.value_colours()
    with pytest.raises(ValueError, match="one colour, one meaning"):
        ct.register_section(attrs.evolve(SPEC, name="measures", colours=colours))
    assert (ct.sections(), palette.value_colours()) == (before, held)


@st.composite
def _sanction_timelines(draw: st.DrawFn) -> list[Any]:
    """Sanctions (partial dates too, some recorded late) of USA against two targets, some
    corrected (``supersedes``) or retracted, corrections included: chains, no cycles."""
    found: list[Any] = []
    for number in range(draw(st.integers(0, 8))):
        event: Any = _sanction(number, draw(s.date_texts(2010, 2022)),
                               draw(st.sampled_from(["RUS", "CHN"])),
                               draw(st.sampled_from(MEASURES)))
        late = draw(st.integers(0, 900))
        if found and draw(st.integers(0, 2)) == 0:
            target = draw(st.sampled_from(found))
            day = max(target.recorded_on + dt.timedelta(days=late), event.date.earliest)
            if draw(st.booleans()):
                event = attrs.evolve(event, supersedes=target.id,
                                     recorded=ct.Date.from_date(day))
            else:
                event = ct.Retraction(id=f"retraction-{number}", date=str(day),
                                      recorded=str(day), sources=(_source(),),
                                      retracts=target.id, reason="recorded in error")
        elif draw(st.booleans()):
            event = attrs.evolve(event, recorded=ct.Date.from_date(
                event.date.earliest + dt.timedelta(days=late)))
        found.append(event)
    return found


@settings(max_examples=60)
@given(_sanction_timelines(), st.sampled_from([{}, {"keyed": False}, {"removes": True}]),
       st.lists(st.none() | s.query_dates(2009, 2024), min_size=1, max_size=3),
       st.none() | s.query_dates(2009, 2024), st.booleans())
def test_a_registered_section_reads_as_the_reference_fold(
        events: list[Any], shape: dict[str, bool], days: list[Any], known_at: Any,
        possible: bool) -> None:
    """Keyed, listed or removing, with corrections, retractions, partial dates, ``known_at``
    and ``possible``: `Timeline.position` holds the registered section as a fold of the
    events rules 2 and 3 select, whatever was asked of the timeline before."""
    ct.register_section(attrs.evolve(SPEC, **shape))  # type: ignore[arg-type]
    tl = ct.Timeline(events)
    for day in [*days, *reversed(days)]:
        chosen = ref.folded(events, ref.last_day(day), ref.last_day(known_at), possible)
        replay = ct.fold(ct.PositionProjection("USA"), chosen)
        got = tl.position("USA", as_of=day, known_at=known_at, possible=possible)
        assert got.section("sanctions") == replay.section("sanctions")
        assert list(got.section("sanctions")) == list(replay.section("sanctions"))
        assert got.to_dict()["sanctions"] == replay.to_dict()["sanctions"]


def _register_at(start: threading.Barrier, name: str) -> None:
    start.wait()
    ct.register_section(attrs.evolve(SPEC, name=name, colours={}))


def test_sections_registered_from_several_threads_are_all_kept() -> None:
    """Threads registering sections at once (a thread switch forced every microsecond) each
    keep theirs: one's table could be written over by another's, made a moment before."""
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for trial in range(150):
            names = [f"sanctions_{trial}_{n}" for n in range(8)]
            start = threading.Barrier(len(names))

            threads = [threading.Thread(target=_register_at, args=(start, n)) for n in names]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert set(names) <= {spec.name for spec in ct.sections()}
            assert set(names) <= set(ct.Position(actor="USA").sections)
    finally:
        sys.setswitchinterval(switching)


@pytest.mark.parametrize("shape", [{"keyed": False}, {"removes": True},
                                   {"make": _lifted_is_none, "removes": True}])
def test_a_section_registered_again_after_an_answer(bundled: ct.Timeline,
                                                    shape: dict[str, Any]) -> None:
    """A section registered again in another shape (listed now, or removing) after the
    timeline answered with it: the next answer holds it in its new shape, as a fold does
    (the prefix positions kept reading it through its old keyed writes: a listed section
    held as a mapping, and entries that now remove kept)."""
    tl = ct.Timeline([*bundled.events("USA"), *EVENTS],  # type: ignore[list-item]
                     registry=bundled.registry)
    assert len(tl.position("USA", as_of="2022-01-01").section("sanctions")) == 2
    ct.register_section(attrs.evolve(SPEC, **shape))
    for day in ("2016-01-01", "2022-01-01"):
        settled = [e for e in tl.events("USA") if e.date.latest <= dt.date.fromisoformat(day)]
        folded = ct.fold(ct.PositionProjection("USA"), settled)
        got = tl.position("USA", as_of=day)
        assert got.sections == folded.sections
        assert got.to_dict()["sanctions"] == folded.to_dict()["sanctions"]


def test_a_section_registered_again_gives_its_values_new_colours() -> None:
    """A section registered again under its name declares its values' colours anew: the
    new ones are used, and the colours it gave up are free for another section's values;
    another section still may not take a colour it holds now."""
    old = dict(COLOURS)
    new: dict[str, str] = {measure: f"#{0x102030 + 16 * place:06X}"
                           for place, measure in enumerate(MEASURES)}
    assert not set(new.values()) & set(palette.value_colours().values())
    ct.register_section(attrs.evolve(SPEC, colours=new))
    assert {m: palette.colour(m) for m in MEASURES} == new
    assert palette.value_colours().items() >= new.items()
    assert not set(old.values()) & set(palette.value_colours().values())
    freed = next(iter(old.values()))
    ct.register_section(attrs.evolve(SPEC, name="measures", colours={"embargo": freed}))
    assert palette.colour("embargo") == freed
    with pytest.raises(ValueError, match="one colour, one meaning"):
        ct.register_section(attrs.evolve(SPEC, name="other_measures",
                                         colours={"quota": next(iter(new.values()))}))
