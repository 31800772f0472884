"""Hypothesis properties: the numbered rules of ``docs/concepts.md``, on generated timelines.

Each test names the rule it checks; rules 7 to 10 (knowledge dates, corrections,
announced kinds, complete charts) are at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

import cybertimeline as ct
from tests import reference as ref
from tests import strategies as s

WIDE_DATES = s.dates(min_year=1, max_year=9999)


# -- dates ----------------------------------------------------------------------------------


@given(WIDE_DATES, WIDE_DATES)
def test_date_order_is_total_and_antisymmetric(a, b):
    """Any two dates compare one way or the other, and both ways only when equal."""
    assert a <= b or b <= a
    assert (a <= b and b <= a) == (a == b)
    assert (a < b) == (not b <= a)


@given(WIDE_DATES, WIDE_DATES, WIDE_DATES)
def test_date_order_is_transitive(a, b, c):
    """If a <= b and b <= c then a <= c."""
    x, y, z = sorted([a, b, c])
    assert x <= y <= z
    assert x <= z
    if a <= b and b <= c:
        assert a <= c


@given(WIDE_DATES, WIDE_DATES)
def test_date_order_follows_latest_then_earliest(a, b):
    """Dates sort by their latest day first, then their earliest day."""
    if (a.latest, a.earliest) < (b.latest, b.earliest):
        assert a < b
    if a == b:
        assert hash(a) == hash(b)


@given(s.date_texts(min_year=1, max_year=9999))
def test_date_parse_format_round_trip(text):
    """``str(Date.parse(text))`` is ``text``, and parsing that again gives an equal date."""
    date = ct.Date.parse(text)
    assert str(date) == text
    again = ct.Date.parse(str(date))
    assert again == date
    assert (again.earliest, again.latest) == (date.earliest, date.latest)


@given(s.date_texts(min_year=1, max_year=9999))
def test_date_bounds_match_the_text(text):
    """The earliest and latest days are those the EDTF text means."""
    first, _, last = text.partition("/")
    date = ct.Date.parse(text)
    assert date.earliest == s._bounds(first)[0]
    assert date.latest == s._bounds(last or first)[1]
    assert date.earliest <= date.latest


@given(s.days(1900, 2100), st.sampled_from(["day", "month", "year"]))
def test_parse_loose_keeps_the_precision_given(day, precision):
    """Free text with a day, a month or only a year gives a date of that precision."""
    text = {"day": f"{day.day} {day:%B %Y}", "month": f"{day:%B %Y}",
            "year": f"{day.year}"}[precision]
    expected = {"day": day.isoformat(), "month": f"{day:%Y-%m}", "year": f"{day:%Y}"}[precision]
    assert str(ct.Date.parse_loose(text)) == expected


@given(s.days(1000, 9999))
def test_parse_loose_reads_numbers_only_as_dayfirst_says(day):
    """dd/mm/yyyy with dayfirst=True and mm/dd/yyyy with dayfirst=False give the day; without
    dayfirst, a numeric date is read only where its two readings agree or one is impossible."""
    day_first, month_first = f"{day:%d/%m/%Y}", f"{day:%m/%d/%Y}"
    assert ct.Date.parse_loose(day_first, dayfirst=True).earliest == day
    assert ct.Date.parse_loose(month_first, dayfirst=False).earliest == day
    if day.day <= 12 and day.day != day.month:
        with pytest.raises(ct.DateError, match="ambiguous"):
            ct.Date.parse_loose(day_first)
    else:
        assert ct.Date.parse_loose(day_first).earliest == day
        assert ct.Date.parse_loose(month_first).earliest == day


# -- codec ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", s.KINDS)
@settings(max_examples=25)
@given(data=st.data())
def test_codec_round_trip_through_toml_for_every_kind(kind, data):
    """Every kind of event survives event_to_dict, tomli_w, tomllib and event_from_dict."""
    event = data.draw(s.events(kinds=[kind]))
    text = tomli_w.dumps({"format": ct.FORMAT_VERSION, "event": [ct.event_to_dict(event)]})
    assert ct.event_from_dict(tomllib.loads(text)["event"][0]) == event


@pytest.mark.parametrize("kind", s.KINDS)
@settings(max_examples=25)
@given(data=st.data())
def test_codec_round_trip_through_json_for_every_kind(kind, data):
    """Every kind of event survives event_to_dict, JSON and event_from_dict."""
    event = data.draw(s.events(kinds=[kind]))
    data_ = json.loads(json.dumps(ct.event_to_dict(event)))
    assert data_["kind"] == kind
    assert ct.event_from_dict(data_) == event


# -- canonical order ------------------------------------------------------------------------


@given(s.timelines(), st.randoms(use_true_random=False))
def test_loading_any_permutation_gives_the_same_order(events, random):
    """A timeline built from any permutation of the same events lists them in the same order
    (rule 1)."""
    shuffled = list(events)
    random.shuffle(shuffled)
    expected = [e.id for e in ref.canonical(ref.known_set(events, None))]
    assert [e.id for e in ct.Timeline(events).events()] == expected
    assert [e.id for e in ct.Timeline(shuffled).events()] == expected
    everything = [e.id for e in ct.Timeline(shuffled).events(include_corrected=True)]
    assert everything == [e.id for e in ref.canonical(events)]


def _append_order(events, random):
    """A shuffled order in which each correction comes after its target, each event with its
    ``recorded`` day given (an append would otherwise stamp today's, rule 7)."""
    pending = list(events)
    random.shuffle(pending)
    done: set[str] = set()
    order = []
    while pending:
        event = next(e for e in pending if e.corrects is None or e.corrects in done)
        pending.remove(event)
        done.add(event.id)
        order.append(attrs.evolve(event, recorded=ct.Date.from_date(event.recorded_on)))
    return order


@given(s.timelines(), st.randoms(use_true_random=False))
def test_appending_in_any_order_gives_the_same_order(events, random):
    """Appending events one by one, in any order, gives the order of loading them at once."""
    tl = ct.Timeline()
    for event in _append_order(events, random):
        tl.append(event)
    loaded = ct.Timeline(events)
    assert [e.id for e in tl.events(include_corrected=True)] == [
        e.id for e in loaded.events(include_corrected=True)]
    assert [e.id for e in tl.events()] == [e.id for e in loaded.events()]


@given(s.timelines())
def test_canonical_key_is_a_total_order_over_events(events):
    """No two events of a timeline share a canonical key, so the order is total (rule 1)."""
    keys = [ct.canonical_key(e) for e in events]
    assert len(set(keys)) == len(keys)
    assert keys == [(e.date.latest, e.date.earliest, e.id) for e in events]


# -- the known set --------------------------------------------------------------------------


@given(s.timelines(), st.none() | s.days(1995, 2030))
def test_known_set_never_holds_an_event_a_known_event_corrects(events, known_at):
    """No event in the known set is superseded or retracted by another event in it (rule 2)."""
    tl = ct.Timeline(events)
    known = list(tl.events(known_at=known_at))
    ids = {e.id for e in known}
    for event in known:
        assert event.corrects is None or event.corrects not in ids
        assert known_at is None or event.recorded_on <= known_at


@given(s.timelines(), st.none() | s.days(1995, 2030))
def test_known_set_follows_rule_two(events, known_at):
    """The known set is what rule 2 says, computed by hand."""
    tl = ct.Timeline(events)
    assert [e.id for e in tl.events(known_at=known_at)] == [
        e.id for e in ref.canonical(ref.known_set(events, known_at))]


def _without_retractions(events):
    """The events less every retraction and every correction of what was left out."""
    kept: dict[str, object] = {}
    for event in events:  # in the order generated: targets come first
        if event.kind != "retraction" and (event.corrects is None or event.corrects in kept):
            kept[event.id] = event
    return list(kept.values())


@given(s.timelines(), s.days(1995, 2030), s.days(1995, 2030))
def test_corrections_drop_out_only_from_when_recorded(events, early, late):
    """Without retractions, an event dropped as known at K1 stays dropped at any later K2
    (rule 2): supersessions only ever take events out, from the day they are recorded."""
    early, late = sorted([early, late])
    events = _without_retractions(events)
    tl = ct.Timeline(events)
    at_early = {e.id for e in tl.events(known_at=early)}
    at_late = {e.id for e in tl.events(known_at=late)}
    recorded_early = {e.id for e in events if e.recorded_on <= early}
    assert at_late & recorded_early <= at_early


# -- folding as of a date -------------------------------------------------------------------


@given(s.timelines(), s.days(1995, 2030), s.days(1995, 2030), st.none() | s.days(1995, 2030))
def test_folded_events_are_a_growing_prefix_of_the_known_set(events, d1, d2, known_at):
    """Events folded for as_of=D are a prefix of the canonical known set, growing with D
    (rules 3 and 4)."""
    d1, d2 = sorted([d1, d2])
    tl = ct.Timeline(events)
    known = [e.id for e in tl.events(known_at=known_at)]
    first = [e.id for e in tl.project(ref.Collect(), as_of=d1, known_at=known_at)]
    second = [e.id for e in tl.project(ref.Collect(), as_of=d2, known_at=known_at)]
    assert first == known[: len(first)]
    assert second == known[: len(second)]
    assert len(first) <= len(second)
    assert first == [e.id for e in ref.folded(events, d1, ref.last_day(known_at), False)]


@given(s.timelines(), s.query_dates(1995, 2030), st.none() | s.query_dates(1995, 2030))
def test_possible_folds_a_superset_of_settled(events, as_of, known_at):
    """possible=True never folds fewer events than the default: it folds a superset (rule 4)."""
    tl = ct.Timeline(events)
    settled = [e.id for e in tl.project(ref.Collect(), as_of=as_of, known_at=known_at)]
    possible = [e.id for e in tl.project(ref.Collect(), as_of=as_of, known_at=known_at,
                                         possible=True)]
    assert set(settled) <= set(possible)
    assert possible == [e.id for e in ref.folded(events, ref.last_day(as_of),
                                                ref.last_day(known_at), True)]
    assert possible == sorted(possible, key=lambda i: ct.canonical_key(tl.event(i)))


# -- positions ------------------------------------------------------------------------------


@given(s.timelines(), st.randoms(use_true_random=False), st.sampled_from(s.ACTORS),
       s.days(1995, 2030), st.none() | s.days(1995, 2030), st.booleans())
def test_positions_do_not_depend_on_load_or_append_order(events, random, actor, as_of, known_at,
                                                         possible):
    """A position is the same whether the events were loaded or appended, in whatever order
    (rules 1 and 5)."""
    loaded = ct.Timeline(events)
    shuffled = list(events)
    random.shuffle(shuffled)
    appended = ct.Timeline()
    for event in _append_order(events, random):
        appended.append(event)
    when = {"as_of": as_of, "known_at": known_at, "possible": possible}
    expected = loaded.position(actor, **when).to_dict()
    assert ct.Timeline(shuffled).position(actor, **when).to_dict() == expected
    assert appended.position(actor, **when).to_dict() == expected


@given(s.timelines(), st.sampled_from(s.ACTORS), st.none() | s.days(1995, 2030),
       s.days(1995, 2030), st.booleans())
def test_position_known_at_equals_a_store_of_what_was_recorded_then(events, actor, as_of,
                                                                     known_at, possible):
    """A position known at K equals the position from a store holding only events recorded by K
    (rule 2)."""
    tl = ct.Timeline(events)
    then = ct.Timeline([e for e in events if e.recorded_on <= known_at])
    bitemporal = tl.position(actor, as_of=as_of, known_at=known_at, possible=possible).to_dict()
    plain = then.position(actor, as_of=as_of, possible=possible).to_dict()
    bitemporal.pop("known_at")
    plain.pop("known_at")
    assert bitemporal == plain


@given(s.timelines(), st.sampled_from(s.ACTORS), st.none() | s.query_dates(1995, 2030),
       st.none() | s.query_dates(1995, 2030), st.booleans())
def test_position_equals_a_full_replay(events, actor, as_of, known_at, possible):
    """A position equals folding, from scratch, the events rules 2 and 3 select (rule 5)."""
    tl = ct.Timeline(events)
    chosen = ref.folded(events, ref.last_day(as_of), ref.last_day(known_at), possible)
    replay = ct.fold(ct.PositionProjection(actor), chosen)
    got = tl.position(actor, as_of=as_of, known_at=known_at, possible=possible)
    # the instruments not yet open on as_of (rule 11) come from the registry, not the fold
    assert got.to_dict() | {"as_of": None, "known_at": None, "possible": False,
                            "not_yet_open": {}} == replay.to_dict()


@given(s.timelines(), st.sampled_from(s.ACTORS), st.lists(s.days(1995, 2030), max_size=4),
       st.none() | s.days(1995, 2030))
def test_keyed_sections_read_as_the_replayed_dicts(events, actor, days, known_at):
    """Every keyed section (treaties, votes, stances...) reads (keys, values, items,
    membership, length) exactly as the dicts of a full replay, whatever was read before from
    the same timeline (rule 5)."""
    tl = ct.Timeline(events)
    for day in [*days, *reversed(days), None]:
        chosen = ref.folded(events, day, known_at, False)
        replay = ct.fold(ct.PositionProjection(actor), chosen)
        got = tl.position(actor, as_of=day, known_at=known_at)
        for section in [spec.name for spec in ct.sections() if spec.keyed]:
            mine, theirs = got.section(section), replay.section(section)
            assert list(mine) == list(theirs)
            assert list(mine.values()) == list(theirs.values())
            assert list(mine.items()) == list(theirs.items())
            assert len(mine) == len(mine.values()) == len(mine.items()) == len(theirs)
            assert all(key in mine and mine[key] == value and (key, value) in mine.items()
                       and value in mine.values() for key, value in theirs.items())
            absent = [key for key in ("budapest-convention", "A/RES/74/247", "cybercrime")
                      if key not in theirs]
            assert not any(key in mine or mine.get(key) is not None for key in absent)


_REWRITES = st.lists(st.tuples(st.sampled_from(["statement", "signature", "ratification"]),
                               st.sampled_from(["budapest-convention", "untoc"]),
                               st.sampled_from(["supports", "opposes", "neutral"]),
                               s.days(2000, 2004)), min_size=2, max_size=14)


@given(_REWRITES, st.lists(s.days(1999, 2005), min_size=1, max_size=6))
def test_keys_written_again_read_their_write_of_the_day(writes, days):
    """Stances and treaty statuses written many times read, on each day, the entry of the
    writes settled by then, not the last one (rule 5); read whole or by key alike."""
    source = ct.Source(title="A test source")
    events: list[ct.Event] = []
    for n, (kind, subject, stance, day) in enumerate(writes):
        date = ct.Date.from_date(day)
        if kind == "statement":
            events.append(ct.Statement(id=f"e{n}", date=date, actor="CAN", topic=subject,
                                       stance=stance, sources=[source]))
        else:
            cls = ct.Signature if kind == "signature" else ct.Ratification
            events.append(cls(id=f"e{n}", date=date, actor="CAN", instrument=subject,
                              sources=[source]))
    tl = ct.Timeline(events)
    for day in [*days, *reversed(days)]:
        replay = ct.fold(ct.PositionProjection("CAN"), ref.folded(events, day, None, False))
        got = tl.position("CAN", as_of=day)
        for section in ("treaties", "stances"):
            mine, theirs = getattr(got, section), getattr(replay, section)
            assert list(mine.items()) == list(theirs.items())
            assert {key: mine[key] for key in theirs} == dict(theirs)


@given(s.timelines(), st.sampled_from(s.GROUPS), s.days(1995, 2030),
       st.none() | s.days(1995, 2030))
def test_members_follow_the_folded_membership_events(events, group, as_of, known_at):
    """A group's members are the actors whose last folded membership event is a join."""
    tl = ct.Timeline(events)
    state: dict[str, bool] = {}
    for event in ref.folded(events, as_of, known_at, False):
        if event.kind == "membership" and event.group == group:
            state[event.actor] = event.action == "join"
    assert tl.members(group, as_of=as_of, known_at=known_at) == tuple(
        sorted(a for a, j in state.items() if j))


@given(s.timelines(), st.none() | st.sampled_from(s.ACTORS),
       st.none() | st.sampled_from(s.KINDS), st.none() | s.days(1995, 2030),
       st.none() | s.days(1995, 2030), st.none() | s.days(1995, 2030))
def test_events_filters_match_a_filter_by_hand(events, actor, kind, since, until, known_at):
    """``events()`` gives the known events of the actor and kind that settle in the range;
    a reversed range is an error."""
    tl = ct.Timeline(events)
    if since is not None and until is not None and since > until:
        with pytest.raises(ct.ValidationError, match="swap them"):
            list(tl.events(actor=actor, since=since, until=until))
        return
    got = [e.id for e in tl.events(actor=actor, kind=kind, since=since, until=until,
                                   known_at=known_at)]
    concerned = None if actor is None else ref.about(events, actor)
    expected = [
        e.id for e in ref.canonical(ref.known_set(events, known_at))
        if (concerned is None or e.id in concerned)
        and (kind is None or e.kind == kind)
        and (since is None or e.date.latest >= since)
        and (until is None or e.date.latest <= until)
    ]
    assert got == expected


@given(s.timelines(max_size=8), st.sampled_from(s.STATES))
def test_status_agrees_with_positions(events, actor):
    """``status(instrument)`` gives each actor the treaty status its own position gives."""
    tl = ct.Timeline(events)
    position = tl.position(actor, as_of="2030")
    for instrument in s.INSTRUMENTS:
        chart = tl.status(instrument, as_of="2030")
        if instrument in position.treaties:
            assert chart[actor].status == position.treaties[instrument].status
        else:
            assert actor not in chart


@settings(max_examples=30)
@given(s.timelines(max_size=8))
def test_a_folder_store_loads_what_was_written(events):
    """Events written as TOML files in a folder load back as the same events."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for index, event in enumerate(events):
            text = tomli_w.dumps({"format": 1, "event": [ct.event_to_dict(event)]})
            (root / f"f{index:03d}.toml").write_text(text, encoding="utf-8")
        loaded = ct.load(root)
        assert sorted(loaded.events(include_corrected=True), key=ct.canonical_key) == (
            ref.canonical(events))


# -- knowledge dates (rules 7 to 9) and complete charts (rule 10) -----------------------------


@given(s.events())
def test_an_event_without_recorded_is_recorded_when_first_published_else_at_its_end(event):
    """Without ``recorded``: an act done in public is public on the last day of its date
    (or on an earlier publication, for what is announced ahead); a reported fact on the
    earliest ``published`` of its sources (each at its last day), else on the last day of
    its date (rule 7)."""
    if event.recorded is not None:
        assert event.recorded_on == event.recorded.earliest
        return
    published = [src.published.latest for src in event.sources if src.published is not None]
    end = event.date.latest
    if not event.done_in_public:
        assert event.recorded_on == (min(published) if published else end)
    elif event.announces:
        assert event.recorded_on == min([*published, end])
    else:
        assert event.recorded_on == end
    again = ct.event_from_dict(ct.event_to_dict(event))
    assert again.recorded is None
    assert again.recorded_on == event.recorded_on


@given(s.events(kinds=s.BASE_KINDS, date=s.dates(1995, 2025)), s.days(2026, 2040))
def test_an_append_stamps_the_clock_day_and_stores_it(event, today):
    """An append stamps the event with the clock's day (the store's history), explicitly, so
    it reads back the same from every store, and leaves when it became public as it was:
    the append is no knowledge date (rules 2 and 7)."""
    tl = ct.Timeline(clock=lambda: today)
    tl.append(event)
    stored = tl.event(event.id)
    assert stored.stamped == ct.Date.from_date(today)
    assert ct.event_to_dict(stored)["stamped"] == today.isoformat()
    assert stored == attrs.evolve(event, stamped=ct.Date.from_date(today))
    assert stored.recorded_on == event.recorded_on


@given(s.timelines(min_size=1), st.data(), st.booleans())
def test_a_correction_without_recorded_is_refused(events, data, retract):
    """A supersession or retraction given to a timeline without ``recorded`` is invalid
    (rule 8), and the problem says what to add."""
    target = data.draw(st.sampled_from(events))
    source = [ct.Source(title="Erratum")]
    if retract:
        fix = ct.Retraction(id="the-fix", date=ct.Date.parse("2031"), retracts=target.id,
                            reason="misread", sources=source)
    else:
        fix = attrs.evolve(target, id="the-fix", supersedes=target.id, recorded=None,
                           sources=source)
    with pytest.raises(ct.ValidationError, match="a correction needs 'recorded'"):
        ct.Timeline([*events, fix])


@given(s.events(), s.days(1990, 2035))
def test_nothing_is_recorded_before_it_happened_except_what_is_announced(event, day):
    """A ``recorded`` before the first day of the date is refused exactly for the kinds that
    report what already happened (rule 9)."""
    recorded = ct.Date.from_date(day)
    if day >= event.date.earliest or event.announced_ahead:
        assert attrs.evolve(event, recorded=recorded).recorded == recorded
    else:
        with pytest.raises(ValueError, match="cannot be known before it happened"):
            attrs.evolve(event, recorded=recorded)


_COVERED = "budapest-convention"


@st.composite
def _charts(draw):
    """One or two coverage declarations of the Budapest chart, recorded on or after their date."""
    declarations = []
    for _ in range(draw(st.integers(1, 2))):
        until = draw(s.days(1998, 2030))
        start = draw(st.none() | st.dates(dt.date(1995, 1, 1), until))
        recorded = until + dt.timedelta(days=draw(st.integers(0, 400)))
        declarations.append(ct.Coverage(
            complete_until=ct.Date.from_date(until),
            complete_from=None if start is None else ct.Date.from_date(start),
            recorded=ct.Date.from_date(recorded),
            sources=[ct.Source(title="Chart of signatures and ratifications")]))
    return declarations


@given(s.timelines(), _charts(), st.sampled_from(s.ACTORS), s.days(1995, 2032),
       st.none() | s.days(1995, 2032))
def test_no_act_reads_none_under_a_complete_chart_and_unknown_elsewhere(
        events, charts, actor, as_of, known_at):
    """With no act by the date, the status is ``none`` where a declaration covers the date
    as known at ``known_at`` and no act of the actor's may already have happened (one dated
    to a span begun but not ended), and ``unknown`` elsewhere; an act gives the replay's
    status (rule 10); before the instrument opened, ``not_yet_open`` (rule 11).
    ``status(all_actors=True)`` says the same of every state."""
    builtin = ct.Registry.builtin()
    charted = attrs.evolve(builtin.instruments[_COVERED], coverage=charts)
    tl = ct.Timeline(events, registry=builtin.extended(instruments=[charted]))
    answer = tl.position(actor, as_of=as_of, known_at=known_at).treaty(_COVERED)
    acted = ct.fold(ct.PositionProjection(actor),
                    ref.folded(events, as_of, known_at, False)).treaties.get(_COVERED)
    may_have = any(
        getattr(e, "instrument", None) == _COVERED and getattr(e, "actor", None) == actor
        and e.date.earliest <= as_of < e.date.latest
        for e in ref.known_set(events, known_at))
    opening = builtin.instruments[_COVERED].opening
    assert opening is not None
    unopened = as_of < opening.earliest  # rule 11: before the opening, "not yet open"
    covered = (any(c.covers(as_of, known_at) for c in charts) and not may_have
               and as_of >= opening.latest)
    if acted is not None:
        assert answer.to_dict() == acted.to_dict()
    else:
        assert answer.status == ("not_yet_open" if unopened else "none" if covered
                                 else "unknown")
        assert bool(answer.sources()) == (covered or unopened)
    chart = tl.status(_COVERED, as_of=as_of, known_at=known_at, all_actors=True)
    assert {a.id for a in tl.registry.actors.values() if a.type == "state"} <= set(chart)
    for state, entry in chart.items():
        position = tl.position(state, as_of=as_of, known_at=known_at)
        assert entry.status == position.treaty(_COVERED).status


# -- kinds declare what they write (the projection reads it from them) ----------------------


def _entries(position):
    """Every entry of a position by ``(section, key)``: listed sections by event id."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for spec in ct.sections():  # every registered section, from the table
        found.update(((spec.name, key), entry.to_dict())
                     for key, entry in spec.items(position.section(spec.name)))
    return found


@given(s.timelines(), st.sampled_from(s.ACTORS), s.events(kinds=s.BASE_KINDS, ids=st.just("new")))
def test_apply_changes_only_the_entries_the_kind_declares(events, actor, event):
    """Folding an event changes exactly the entries its kind declares for the actor
    (``Event.entries``), and no other: what changelogs and prefixes rely on (rule 5)."""
    projection = ct.PositionProjection(actor)
    before = _entries(ct.fold(projection, ref.canonical(ref.known_set(events, None))))
    after = _entries(projection.apply(ct.fold(projection, ref.canonical(
        ref.known_set(events, None))), event))
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    declared = set(event.entries(actor))
    assert changed <= declared
    assert not declared or actor in event.involved
