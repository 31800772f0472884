"""Building the site: each page from the library's answers and change points."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cybertimeline._model.dates import DateLike
from cybertimeline._model.events import Adoption, Event, Session, Vote
from cybertimeline._model.markup import Markup, escape, join
from cybertimeline._model.order import canonical_key
from cybertimeline._model.registry import Registry
from cybertimeline._model.sources import Source
from cybertimeline._model.wording import STATUS_WORDS, headline
from cybertimeline._projections.entries import VoteEntry
from cybertimeline._projections.position import section_spec
from cybertimeline._projections.treaty import TreatyStatus
from cybertimeline._reports.changepoints import (
    ChangeAnswers,
    ChartChanges,
    Steps,
    chart_change_points,
    position_change_points,
    vote_change_points,
)
from cybertimeline._reports.changes import Fact, plain
from cybertimeline._reports.resolutions import resolution
from cybertimeline._reports.website.assets import SCRIPT, STYLE
from cybertimeline._reports.website.data import Slugs, SourceBook, chunks, script, source_item
from cybertimeline._reports.website.pages import date_control, frame, table
from cybertimeline.errors import TimelineError

__all__ = ["SiteSummary", "build_site"]

MARK = ".cybertimeline-site"
"""The file that says a folder is a site this builds (so a rebuild may replace it)."""

GROUP_TYPES = ("bloc", "group")

STATUS_HEADER = ("State", "Status", "Unchanged since")

LISTED_SOURCES = 300
"""The most sources an actor's page lists by title (each fact links to its own anyway)."""


@attrs.frozen(kw_only=True)
class SiteSummary:
    """What `build_site` wrote.

    Attributes:
        out: The site's folder.
        pages: How many HTML pages.
        files: How many files in all.
        largest: The largest file's size in bytes, and its path within the site.
        seconds: How long the build took.
    """

    out: Path
    pages: int
    files: int
    largest: tuple[int, str]
    seconds: float

    def __str__(self) -> str:
        size, name = self.largest
        return (f"{self.out}: {self.pages} pages, {self.files} files, largest {name} "
                f"({size / 1e6:.2f} MB), built in {self.seconds:.1f} s; open "
                f"{self.out / 'index.html'}")


class _Only:
    """The answers, but only these votes and adoptions: what `resolution` reads of one
    resolution, without reading every roll call of the record."""

    def __init__(self, answers: ChangeAnswers, events: list[Event]) -> None:
        self.answers, self.found = answers, events
        self.registry = answers.registry

    def events(self, actor: str | None = None, kind: str | Collection[str] | None = None,
               **_: Any) -> Iterator[Event]:
        return iter(self.found)

    def members(self, group: str, **kwargs: Any) -> tuple[str, ...]:
        return self.answers.members(group, **kwargs)


def _status_words(status: str) -> str:
    return STATUS_WORDS.get(status, status)


def _value_text(section: str, value: Any) -> tuple[str, str]:
    """A fact's value (an entry, or its `plain` form) as a page writes it, and its badge
    class."""
    if isinstance(value, str):
        return _status_words(value), ""
    shown = value if isinstance(value, dict) else plain(value)
    for key, prefix in (("option", "o-"), ("stance", "st-"), ("status", "s-"),
                        ("role", ""), ("title", "")):
        if shown.get(key):
            text = str(shown[key])
            if shown.get("since"):
                text += f" since {shown['since']}"
            elif shown.get("date") and key != "option":  # a vote's date: its "since"
                text += f" ({shown['date']})"
            return text, f"{prefix}{shown[key]}" if prefix else ""
    return ", ".join(f"{k}: {v}" for k, v in shown.items() if v), ""


def _by(source: Source) -> str:
    return "".join(f", {part}" for part in (source.publisher, source.locator) if part)


def _implicit_start(steps: list[list[Any]]) -> list[list[Any]]:
    """Steps as a page reads them: the first one left out where it is "absent from the
    start" (the script reads no step on or before a day as absent)."""
    return steps[1:] if steps and steps[0][0] is None and steps[0][1] is None else steps


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


class _Builder:
    def __init__(self, answers: ChangeAnswers, out: Path, today: dt.date) -> None:
        self.answers, self.out, self.today = answers, out, today
        self.registry: Registry = answers.registry
        self.book = SourceBook()
        self.slug = Slugs()
        self.pages = 0
        self.events = sorted(answers.events(include_corrected=True), key=canonical_key)
        self.sources_of = {e.id: e.sources for e in self.events}
        self.first = min((e.date.earliest for e in self.events), default=today)
        self.last = max([today, *(e.date.latest for e in self.events)])
        self.search: list[list[str]] = []
        self.resolutions: dict[str, list[Event]] = defaultdict(list)
        self.others: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            if isinstance(event, Vote | Adoption) and event.resolution:
                self.resolutions[event.resolution].append(event)
            if not isinstance(event, Vote):
                for actor in event.involved:
                    self.others[actor].append(event)
        self.cited: dict[str, list[int]] = {}
        self.links: dict[tuple[str, str], Markup] = {}
        self.steps_made: dict[tuple[Any, ...], list[Any]] = {}
        self.groups_known = sorted(a for a, f in self.registry.actors.items()
                                   if f.type in GROUP_TYPES)
        self.members_on: dict[tuple[str, dt.date], tuple[str, ...]] = {}
        self.cells_made: dict[str, list[Any]] = {}
        self.rows_made: dict[str, str] = {}

    # -- files ------------------------------------------------------------------------

    def write(self, name: str, text: str) -> None:
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def page(self, name: str, title: str, body: Markup, *, scripts: Sequence[str] = (),
             kind: str = "page") -> None:
        root = "../" * name.count("/")
        self.write(name, frame(title, body, root, scripts=scripts, page=kind))
        self.pages += 1

    def data(self, name: str, tables: Mapping[str, list[Any]],
             extra: Mapping[str, Any] | None = None) -> list[str]:
        names = []
        for n, text in enumerate(chunks(tables, extra or {}), start=1):
            names.append(f"data/{name}-{n}.js")
            self.write(names[-1], text)
        return names

    def href(self, kind: str, name: str, root: str) -> str:
        return f"{root}{kind}/{self.slug(name)}.html"

    def a(self, kind: str, name: str, text: str, root: str) -> Markup:
        return Markup(f'<a href="{escape(self.href(kind, name, root))}">{escape(text)}</a>')

    def actor_link(self, actor: str, root: str) -> Markup:
        if (root, actor) not in self.links:
            self.links[root, actor] = self.a("actor", actor,
                                             f"{self.registry.name(actor)} ({actor})", root)
        return self.links[root, actor]

    # -- steps as data ------------------------------------------------------------------

    def status_steps(self, steps: Steps[TreatyStatus | None]) -> list[list[Any]]:
        return _implicit_start([[_day(d), None if s is None else _status_words(s.status),
                 None if s is None else f"s-{s.status}",
                 [] if s is None else self.book.cite(s.sources())] for d, s in steps.points()])

    def fact_steps(self, section: str, steps: Steps[Fact | None]) -> list[list[Any]]:
        found: list[list[Any]] = []
        for day, fact in steps.points():
            if fact is None:
                found.append([_day(day), None, "", []])
                continue
            if isinstance(fact.value, VoteEntry):  # many: the short way, the same text
                text, badge = fact.value.option, f"o-{fact.value.option}"
            else:
                text, badge = _value_text(section, fact.value)
            found.append([_day(day), text, badge, self.cite_events(fact.events)])
        return _implicit_start(found)

    def cite_events(self, ids: Collection[str]) -> list[int]:
        key = "\n".join(sorted(ids)) if len(ids) > 1 else next(iter(ids), "")
        if key not in self.cited:
            self.cited[key] = self.book.cite(s for i in sorted(ids)
                                             for s in self.sources_of.get(i, ()))
        return self.cited[key]

    def control(self, jumps: Sequence[tuple[str, str]] = ()) -> Markup:
        return date_control(self.today.isoformat(), self.first.isoformat(),
                            self.last.isoformat(), [("Today", self.today.isoformat()),
                                                    *jumps])

    def sources_section(self, sources: Sequence[Source], root: str) -> Markup:
        if not sources:
            return Markup("")
        return Markup(f"<h2>Sources</h2><p>{self.book.links(sources, root)}</p>")

    # -- pages --------------------------------------------------------------------------

    def instrument(self, instrument: str, settled: ChartChanges) -> None:
        found = self.registry.instrument(instrument)
        root = "../"
        possible = chart_change_points(self.answers, instrument, possible=True)
        tables = {"states": self.chart_rows(settled, root),
                  "possible": self.chart_rows(possible, root)}
        counts = {f"{name}{suffix}": [[_day(d), getattr(c, name)]
                                      for d, c in changes.counts.points()]
                  for suffix, changes in (("", settled), ("-possible", possible))
                  for name in ("parties", "in_force", "consented_not_in_force",
                               "signed_only", "signatories")}
        scripts = self.data(f"instrument/{self.slug(instrument)}", tables, {"counts": counts})
        life = [[m.stage.replace("_", " "), str(m.date), self.book.links(m.sources, root)]
                for m in found.life]
        coverage = [[str(c.complete_from or "the start"), str(c.complete_until),
                     self.book.links(c.sources, root)] for c in found.coverage]
        jumps = [(m.stage.replace("_", " "), m.date.latest.isoformat()) for m in found.life]
        body = join([
            Markup('<p class="note">Pick a day: every state\'s status then, as the library '
                   'answers it ("not yet open" before the instrument opened for signature, '
                   '"no data" where no complete chart covers the day).</p>'),
            self.control(jumps),
            self.counts_list("", "As the depositary counts on"),
            table("Life", ["Stage", "Date", "Sources"], life),
            table("Charts declared complete", ["From", "Until", "Sources"], coverage)
            if coverage else Markup('<p class="note">No chart of it is declared complete: '
                                    'a state with no act is "no data".</p>'),
            table("Every state's status on the chosen day", STATUS_HEADER, [], name="states"),
            Markup('<details><summary>Counting acts that had only begun (possible)'
                   '</summary>'),
            self.counts_list("-possible", "Counting possible acts, on"),
            table("Every state's status, possible acts counted", STATUS_HEADER, [],
                  name="possible"),
            Markup("</details><h2>Changelog</h2>"
                   '<ol class="changes" data-changes="states"></ol>')])
        self.page(f"instrument/{self.slug(instrument)}.html", found.label, body,
                  scripts=scripts, kind="instrument")
        self.search.append([found.label, "instrument", f"instrument/{self.slug(instrument)}.html"])

    @staticmethod
    def counts_list(suffix: str, caption: str) -> Markup:
        words = (("parties", "Parties (consent deposited)"), ("in_force", "In force"),
                 ("consented_not_in_force", "Consented, not yet in force"),
                 ("signed_only", "Signatures not followed by consent"),
                 ("signatories", "Signatories"))
        items = "".join(f'<div><dt>{escape(w)}</dt><dd data-count="{n}{suffix}"></dd></div>'
                        for n, w in words)
        return Markup(f'<h2>{escape(caption)} <span data-day></span></h2>'
                      f'<dl class="counts" aria-live="polite">{items}</dl>')

    def chart_rows(self, changes: ChartChanges, root: str) -> list[list[Any]]:
        return [[[[f"{self.registry.name(a)} ({a})", f"actor/{self.slug(a)}.html"]],
                 self.status_steps(steps)] for a, steps in changes.statuses.items()]

    def actor(self, actor: str, charts: Mapping[str, ChartChanges],
              votes: Mapping[str, Steps[VoteEntry | None]]) -> None:
        root = "../"
        facts = position_change_points(self.answers, actor, votes={},
                                       events=self.others.get(actor, []))
        treaties = [[[[self.registry.instrument(i).label, f"instrument/{self.slug(i)}.html"]],
                     self.status_steps(c.statuses[actor])]
                    for i, c in charts.items() if actor in c.statuses]
        rows = []
        for path, steps in facts.items():
            section, _, key = path.partition(".")
            if section == "treaties" and path.endswith(".status"):
                continue
            rows.append([[section, self.key_cell(section, key)],
                         self.fact_steps(section, steps), f"{section} {key}"])
        rows.extend(self.vote_rows(votes))
        scripts = self.data(f"actor/{self.slug(actor)}",
                            {"treaties": treaties, "facts": rows})
        found = self.registry.actors.get(actor)
        kind = found.type if found is not None else "actor"
        body = join([
            Markup(f'<p class="note">{escape(kind)}. Pick a day: its position then, as the '
                   "library answers it.</p>"),
            self.control(),
            table("Treaties on the chosen day", ["Instrument", "Status", "Unchanged since"], [],
                  name="treaties"),
            table("Its position on the chosen day",
                  ["Section", "On", "Value", "Unchanged since"], [], name="facts"),
            Markup('<p class="note"><span id="t-facts-shown"></span> entries shown.</p>'),
            Markup('<h2>Changelog</h2><ol class="changes" data-changes="facts"></ol>'
                   '<h3>Treaties</h3><ol class="changes" data-changes="treaties"></ol>'),
            self.a("body", actor, "Its sessions", root) if kind == "body" else Markup(""),
            self.cited_list([*treaties, *rows], root)])
        self.page(f"actor/{self.slug(actor)}.html", f"{self.registry.name(actor)} ({actor})",
                  body, scripts=scripts, kind="actor")
        self.search.append([f"{self.registry.name(actor)} ({actor})", kind,
                            f"actor/{self.slug(actor)}.html"])

    def cited_list(self, rows: list[list[Any]], root: str) -> Markup:
        """The sources a page's rows cite, numbered as on the pages of sources (the first
        `LISTED_SOURCES` of them: an actor of the whole UN record cites thousands)."""
        numbers = sorted({n for row in rows for step in row[1] for n in step[3]})
        sources = self.book.sources()
        items = "".join(
            f'<li value="{n}"><a href="{escape(self.book.href(n, root))}">'
            f"{escape(sources[n - 1].title)}</a>{escape(_by(sources[n - 1]))}</li>"
            for n in numbers[:LISTED_SOURCES])
        more = (f'<p class="note">And {len(numbers) - LISTED_SOURCES} more, each linked from '
                f"the entries that cite it.</p>" if len(numbers) > LISTED_SOURCES else "")
        return Markup(f'<h2>Sources</h2><ol class="sources">{items}</ol>{more}'
                      if numbers else "")

    def vote_rows(self, votes: Mapping[str, Steps[VoteEntry | None]]) -> list[list[Any]]:
        """The votes of a position, as `position_change_points` gives them (`Fact`s of
        ``votes.<resolution>``) but read straight from the votes' change points: many."""
        rows = []
        for symbol, steps in sorted(votes.items()):
            found = _implicit_start([self.vote_step(day, vote) for day, vote
                                     in zip(steps.days, steps.values, strict=True)])
            rows.append([self.vote_cells(symbol), found])
        return rows

    def state_row(self, state: str) -> str:
        """A table row linking to the state's page (a resolution page lists many: made once)."""
        found = self.rows_made.get(state)
        if found is None:
            found = self.rows_made[state] = f"<tr><td>{self.actor_link(state, '../')}</td></tr>"
        return found

    def vote_step(self, day: dt.date | None, vote: VoteEntry | None) -> list[Any]:
        # Every actor that voted so on that roll call shares the step: built once.
        key = (day, None) if vote is None else (day, vote.event_id, vote.option)
        found = self.steps_made.get(key)
        if found is None:
            found = self.steps_made[key] = [_day(day), None, "", []] if vote is None else [
                _day(day), vote.option, f"o-{vote.option}",
                self.cite_events((vote.event_id,))]
        return found

    def vote_cells(self, symbol: str) -> list[Any]:
        found = self.cells_made.get(symbol)
        if found is None:
            found = self.cells_made[symbol] = [
                "votes", [symbol, f"resolution/{self.slug(symbol)}.html"]]
        return found

    def key_cell(self, section: str, key: str) -> Any:
        """The cell naming an entry's key: a link to the page of what it names (a
        resolution, an instrument, an actor), as its section says (`SectionSpec.keys`)."""
        spec = section_spec(section)
        if spec.keys == "resolution" and key in self.resolutions:
            return [key, f"resolution/{self.slug(key)}.html"]
        if spec.keys == "instrument":
            instrument, _, field = key.rpartition(".") if spec.fields else (key, "", "")
            if self.registry.has_instrument(instrument):
                label = self.registry.instrument(instrument).label
                return [f"{label}: {field}" if field else label,
                        f"instrument/{self.slug(instrument)}.html"]
        if spec.keys == "actor" and key in self.registry.actors:
            return [f"{self.registry.name(key)} ({key})", f"actor/{self.slug(key)}.html"]
        return key

    def resolution(self, symbol: str, events: list[Event]) -> None:
        root = "../"
        view = resolution(_Only(self.answers, events), symbol)  # type: ignore[arg-type]
        parts: list[object] = [Markup(
            f"<p>{escape(view.title or 'No title recorded')}. {escape(str(view.date))}"
            f"{', ' if view.body else ''}"
            f"{self.actor_link(view.body, root) if view.body else ''}.</p>")]
        tally = ([["In favour", view.tally.yes], ["Against", view.tally.no],
                  ["Abstentions", view.tally.abstain]] if view.tally else [])
        if tally:
            parts.append(table("Tally, as recorded", ["Option", "Votes"], tally))
        counts = view.counts()
        parts.append(table("Votes listed, by option", ["Option", "States"],
                           [[o, n] for o, n in counts.items()]))
        parts.append(self.groups(view.votes, view.date.latest))
        by_option: dict[str, list[str]] = defaultdict(list)
        for state, option in view.votes.items():
            by_option[option].append(self.state_row(state))
        for option in counts:
            parts.append(table(f"{option} ({len(by_option[option])})", ["State"], [],
                               body=Markup("".join(by_option[option]))))
        if not view.votes:
            parts.append(Markup('<p class="note">No recorded vote: adopted without a vote.'
                                "</p>"))
        parts.append(self.sources_section([s for e in view.events for s in e.sources], root))
        slug = self.slug(symbol)
        self.page(f"resolution/{slug}.html", symbol, join(parts),
                  kind="resolution")
        self.search.append([f"{symbol} {view.title or ''}".strip(), "resolution",
                            f"resolution/{slug}.html"])

    def groups(self, votes: Mapping[str, str], day: dt.date) -> Markup:
        rows = []
        for group in self.groups_known:
            if (group, day) not in self.members_on:
                self.members_on[group, day] = self.answers.members(group, as_of=day)
            members = self.members_on[group, day]
            cast = Counter(votes[m] for m in members if m in votes)
            if cast:
                rows.append([self.actor_link(group, "../"),
                             ", ".join(f"{o} {n}" for o, n in sorted(cast.items()))])
        return table("By group (members on the day of the vote)", ["Group", "Votes"], rows) \
            if rows else Markup("")

    def body(self, body: str) -> None:
        root = "../"
        sessions = [e for e in self.events if isinstance(e, Session) and e.body == body]
        later = {e.supersedes: e for e in self.events if e.supersedes}
        rows = []
        for event in sessions:
            replaced = later.get(event.id)
            rows.append([escape(event.title or "session"), str(event.date), event.status,
                         escape(event.location or ""), str(event.recorded_on),
                         Markup("") if replaced is None else Markup(
                             f"{escape(replaced.date)} {escape(getattr(replaced, 'status', ''))}"
                             f" (recorded {escape(replaced.recorded_on)})"),
                         self.book.links(event.sources, root)])
        body_html = join([
            Markup(f"<p>{self.actor_link(body, root)}: its position, day by day.</p>"),
            table("Sessions, scheduled and held, as recorded (superseded ones too)",
                  ["Session", "Dates", "Status", "Where", "Recorded", "Superseded by",
                   "Sources"], rows) if rows else Markup('<p class="note">No session '
                                                         "recorded.</p>")])
        self.page(f"body/{self.slug(body)}.html", f"{self.registry.name(body)}: sessions",
                  body_html, kind="body")

    def resolution_lists(self) -> list[tuple[str, str, int]]:
        by_decade: dict[str, list[str]] = defaultdict(list)
        for symbol, events in self.resolutions.items():
            by_decade[f"{events[0].date.earliest.year // 10 * 10}s"].append(symbol)
        listed = []
        for decade, symbols in sorted(by_decade.items()):
            rows = []
            for symbol in sorted(symbols, key=lambda s: canonical_key(self.resolutions[s][0])):
                first = self.resolutions[symbol][-1]
                rows.append([self.a("resolution", symbol, symbol, ""), str(first.date),
                             escape(getattr(first, "title", None) or "")])
            name = f"resolutions-{decade}.html"
            self.page(name, f"Resolutions of the {decade}",
                      table(f"Resolutions of the {decade}", ["Symbol", "Date", "Title"], rows))
            listed.append((decade, name, len(rows)))
        return listed

    def sources(self) -> None:
        for n, entries in enumerate(self.book.pages(), start=1):
            items = join(source_item(number, s) for number, s in entries)
            self.page(f"sources/{n}.html", f"Sources, page {n}",
                      Markup(f'<ol class="sources">{items}</ol>'))

    def index(self, bodies: list[str], lists: list[tuple[str, str, int]]) -> None:
        kinds = Counter(e.kind for e in self.events)
        latest = [[str(e.date), escape(headline(e, self.registry)),
                   self.book.links(e.sources, "")] for e in self.events[-25:][::-1]]
        coverage = [[self.a("instrument", i.id, i.label, ""), str(c.complete_from or
                                                                  "the start"),
                     str(c.complete_until), self.book.links(c.sources, "")]
                    for i in self.registry.instruments.values() for c in i.coverage]
        actors = [[self.actor_link(a.id, ""), a.type]
                  for a in sorted(self.registry.actors.values(), key=lambda a: a.name)]
        body = join([
            Markup(f"<p>{len(self.events)} events recorded (corrected ones included), from "
                   f"{self.first} to "
                   f"{max(e.date.latest for e in self.events) if self.events else '-'}, "
                   f"with {len(self.book.numbers)} sources; {len(self.registry.actors)} "
                   f"actors, {len(self.registry.instruments)} instruments, "
                   f"{len(self.resolutions)} resolutions. Built on {self.today}.</p>"),
            table("Events by kind", ["Kind", "Events"], sorted(kinds.items())),
            table("Instruments", ["Instrument"], [[self.a("instrument", i, f.label, "")]
                                                  for i, f in
                                                  self.registry.instruments.items()]),
            table("Charts declared complete (coverage)", ["Instrument", "From", "Until",
                                                          "Sources"], coverage),
            table("Bodies", ["Body"], [[self.a("body", b, self.registry.name(b), "")]
                                       for b in bodies]),
            table("Resolutions", ["Decade", "Resolutions"],
                  [[Markup(f'<a href="{n}">{escape(d)}</a>'), c] for d, n, c in lists]),
            table("The latest events", ["Date", "Event", "Sources"], latest),
            self.corrections(),
            table("Actors", ["Actor", "Type"], actors)])
        self.page("index.html", "The record of cyber diplomacy", body)

    def corrections(self) -> Markup:
        """The corrections of the record (supersessions, retractions), latest first."""
        by_id = {e.id: e for e in self.events}
        rows = []
        for event in sorted((e for e in self.events if e.corrects in by_id),
                            key=lambda e: (e.recorded_on, e.id), reverse=True):
            corrected = by_id[str(event.corrects)]
            rows.append([str(event.recorded_on),
                         f"{corrected.date}: {headline(corrected, self.registry)}",
                         f"{event.date}: {headline(event, self.registry)}",
                         self.book.links(event.sources, "")])
        return table("Corrections of the record, latest first",
                     ["Recorded", "Corrected", "By", "Sources"], rows) if rows else Markup("")

    def search_page(self) -> None:
        scripts = [f"data/{name}" for name in self.search_files()]
        body = Markup('<form role="search" onsubmit="return false">'
                      '<label for="q">Titles and names</label> '
                      '<input id="q" type="search" autocomplete="off"></form>'
                      '<p id="found" role="status"></p><ul class="results" id="results"></ul>')
        self.page("search.html", "Search", body, scripts=scripts, kind="search")

    def search_files(self) -> list[str]:
        names = []
        for n in range(0, max(len(self.search), 1), 4000):
            names.append(f"search-{n // 4000 + 1}.js")
            self.write(f"data/{names[-1]}", script({"search": self.search[n:n + 4000]}))
        return names


def _prepare(answers: ChangeAnswers) -> None:
    bulk = getattr(answers, "prepare_bulk", None)
    if callable(bulk):
        bulk()


def _votes_by_actor(builder: _Builder) -> dict[str, dict[str, Steps[VoteEntry | None]]]:
    found: dict[str, dict[str, Steps[VoteEntry | None]]] = defaultdict(dict)
    for symbol, events in builder.resolutions.items():
        dates = [e.date for e in events if isinstance(e, Vote)]
        if dates:
            for actor, steps in vote_change_points(builder.answers, symbol, dates).items():
                found[actor][symbol] = steps
    return found


def _fill(builder: _Builder) -> None:
    registry = builder.registry
    charts = {i: chart_change_points(builder.answers, i) for i in registry.instruments}
    for instrument, settled in charts.items():
        builder.instrument(instrument, settled)
    votes = _votes_by_actor(builder)
    actors = sorted({*registry.actors, *votes})
    for actor in actors:
        builder.actor(actor, charts, votes.get(actor, {}))
    for symbol, events in builder.resolutions.items():
        builder.resolution(symbol, events)
    bodies = sorted(a for a, f in registry.actors.items() if f.type == "body")
    for body in bodies:
        builder.body(body)
    lists = builder.resolution_lists()
    builder.index(bodies, lists)
    builder.search_page()
    builder.sources()
    builder.write("site.css", STYLE)
    builder.write("site.js", SCRIPT)
    builder.write(MARK, "A site written by `cybertimeline site`: a rebuild replaces it.\n")


def _largest(folder: Path) -> tuple[int, str, int]:
    sizes = [(p.stat().st_size, p.relative_to(folder).as_posix())
             for p in folder.rglob("*") if p.is_file()]
    size, name = max(sizes)
    return size, name, len(sizes)


def build_site(answers: ChangeAnswers, out: str | os.PathLike[str], *,
               today: DateLike | None = None) -> SiteSummary:
    """Write the dataset as a static website into the folder ``out``.

    Plain files: open ``out/index.html`` from disk or serve the folder from any static
    host; every asset is in the folder, nothing is fetched. The site is built beside
    ``out`` and moved into place whole: a folder ``out`` that a build wrote before is
    replaced, any other non-empty folder is left alone and refused.

    Args:
        answers: A timeline.
        out: The site's folder.
        today: The day the date controls show first; today (UTC) if None.

    Raises:
        TimelineError: ``out`` holds files that are not a site this wrote.
    """
    started = time.perf_counter()
    target = Path(out)
    _check_target(target)
    day = (dt.datetime.now(dt.UTC).date() if today is None
           else today if isinstance(today, dt.date) else _coerce(today))
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _prepare(answers)
        builder = _Builder(answers, work, day)
        _fill(builder)
        size, name, files = _largest(work)
        _replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SiteSummary(out=target, pages=builder.pages, files=files, largest=(size, name),
                       seconds=time.perf_counter() - started)


def _coerce(value: DateLike) -> dt.date:
    from cybertimeline._model.dates import Date

    return Date.coerce(value).latest


def _replace(work: Path, target: Path) -> None:
    """Move the built site to ``target``: the old site (if any) aside first, then removed.
    A folder that is not a site this wrote, or that appeared meanwhile, is left alone."""
    os.chmod(work, 0o755)
    try:
        if target.exists():
            _check_target(target)
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
            work.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            work.rename(target)
    except OSError as error:
        raise TimelineError(f"{target}: could not be put in place ({error.strerror}): another "
                            f"build may have written it meanwhile; run the command again"
                            ) from None


def _check_target(target: Path) -> None:
    if target.exists() and (not target.is_dir() or (any(target.iterdir())
                                                    and not (target / MARK).is_file())):
        raise TimelineError(f"{target} exists and is not a site `cybertimeline site` wrote: "
                            f"give a new or empty folder (nothing in it was changed)")
