"""Sequences the treaties rule out (rule 12 of ``docs/concepts.md``), refused by every append
and reported by ``validate``, unless the act says why (``irregular``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cybertimeline as ct
from cybertimeline._cli import main

SOURCE = [ct.Source(title="Chart of signatures and ratifications")]


def act(kind: type[ct.TreatyAct], id: str, day: str, actor: str = "KOR",
        instrument: str = "budapest-protocol-2", **fields: str) -> Any:
    """A treaty act of this kind (typed as any event: the union `ct.Event`)."""
    return kind(id=id, date=ct.Date.parse(day), actor=actor, instrument=instrument,
                sources=SOURCE, **fields)


def test_the_bundled_data_passes_and_its_one_exception_says_why() -> None:
    """Every bundled act follows its instrument's rules, but Luxembourg's consent to the First
    Protocol (2014-10-16) before its consent to the Convention (2015-01), which says why."""
    tl = ct.load()
    tl.validate()
    irregular = {e.id: e.irregular for e in tl.events()
                 if isinstance(e, ct.TreatyAct) and e.irregular is not None}
    assert list(irregular) == ["lux-ratifies-budapest-protocol-1"]
    assert "Article 9" in irregular["lux-ratifies-budapest-protocol-1"]


def test_an_act_before_the_opening_is_refused() -> None:
    """The issue's example: a Second Protocol ratification dated 2019, before it opened."""
    tl = ct.Timeline()
    with pytest.raises(ct.ValidationError, match="before the budapest-protocol-2 opened for "
                                                 "signature on 2022-05-12"):
        tl.append(act(ct.Ratification, "kor-ratifies-p2", "2019-03-01"))
    assert len(tl) == 0
    tl.append(act(ct.Ratification, "kor-ratifies-p2", "2019-03-01",
                  irregular="a test of what the check lets pass"))
    assert len(tl) == 1


def test_consent_to_a_protocol_needs_the_convention_first() -> None:
    """Refused where the convention's consent is known to be later; accepted with or after it."""
    tl = ct.Timeline()
    tl.append(act(ct.Accession, "kor-accedes-budapest", "2023-09-01",
                  instrument="budapest-convention"))
    with pytest.raises(ct.ValidationError, match="before consent to the budapest-convention"):
        tl.append(act(ct.Ratification, "kor-ratifies-p2", "2023-01-10"))
    tl.append(act(ct.Ratification, "kor-ratifies-p2", "2023-09-01"))  # the same day: allowed


def test_consent_to_a_protocol_without_the_convention_under_a_complete_chart() -> None:
    """No consent to the convention at all, where its chart is complete: refused; where no
    chart says so, the store may simply not hold it: accepted."""
    chart = ct.Coverage(complete_until="2024-12-31", sources=SOURCE)
    convention = ct.Instrument(id="budapest-convention", title="Convention on Cybercrime",
                               coverage=[chart])
    charted = ct.Timeline(registry=ct.Registry.builtin().extended(instruments=[convention]))
    with pytest.raises(ct.ValidationError, match="without consent to the budapest-convention"):
        charted.append(act(ct.Ratification, "kor-ratifies-p2", "2023-01-10"))
    ct.Timeline().append(act(ct.Ratification, "kor-ratifies-p2", "2023-01-10"))


def test_entry_into_force_follows_the_rule() -> None:
    """Budapest, article 36(4): the first day of the month after three months from deposit;
    never before the Convention's own entry into force (2004-07-01)."""
    tl = ct.Timeline()
    tl.append(act(ct.Ratification, "can-ratifies", "2015-07-08", "CAN", "budapest-convention"))
    with pytest.raises(ct.ValidationError, match="rule puts it 2015-11-01"):
        tl.append(act(ct.EntryIntoForce, "can-in-force", "2015-10-08", "CAN",
                      "budapest-convention"))
    tl.append(act(ct.EntryIntoForce, "can-in-force", "2015-11-01", "CAN", "budapest-convention"))
    tl.append(act(ct.Ratification, "alb-ratifies", "2002-06-20", "ALB", "budapest-convention"))
    tl.append(act(ct.EntryIntoForce, "alb-in-force", "2004-07-01", "ALB", "budapest-convention"))


def test_a_signature_after_the_instrument_closed_is_refused() -> None:
    """After it closed for signature, a state accedes; a signature is refused."""
    life = [ct.Milestone(stage="opened", date="2000-12-12", sources=SOURCE),
            ct.Milestone(stage="closed", date="2002-12-12", sources=SOURCE)]
    treaty = ct.Instrument(id="example-treaty", title="Example", life=life)
    tl = ct.Timeline(registry=ct.Registry.builtin().extended(instruments=[treaty]))
    with pytest.raises(ct.ValidationError, match="after the example-treaty closed"):
        tl.append(act(ct.Signature, "kor-signs", "2003-01-05", instrument="example-treaty"))
    tl.append(act(ct.Accession, "kor-accedes", "2003-01-05", instrument="example-treaty"))


def test_validate_reports_a_stored_sequence_at_its_line(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """A folder whose file holds an impossible sequence loads, but ``validate`` (and the
    command) reports it at its file and line, with how to let it pass."""
    (tmp_path / "events.toml").write_text(
        '[[event]]\nid = "kor-ratifies-p2"\nkind = "ratification"\ndate = "2019-03-01"\n'
        'actor = "KOR"\ninstrument = "budapest-protocol-2"\n\n'
        '[[event.sources]]\ntitle = "A mistaken chart"\n', encoding="utf-8")
    tl = ct.load(tmp_path)
    with pytest.raises(ct.ValidationError) as raised:
        tl.validate()
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == (tmp_path / "events.toml", 1)
    assert "'irregular'" in problem.message
    assert main(["--events", str(tmp_path), "validate"]) == 1
    assert "before the budapest-protocol-2 opened" in capsys.readouterr().err


@given(st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2025, 12, 31)),
       st.integers(min_value=-400, max_value=400))
def test_entry_into_force_is_accepted_exactly_where_the_rule_puts_it(
        deposit: dt.date, shift: int) -> None:
    """Property: for any deposit, an entry into force on the rule's day (or the Convention's
    own entry into force, if later) is accepted, and on any other day refused."""
    rule = ct.EntryRule(months=3, first_of_month=True)
    expected = max(rule.after(deposit), dt.date(2004, 7, 1))
    day = expected + dt.timedelta(days=shift)
    tl = ct.Timeline()
    tl.append(act(ct.Ratification, "fra-ratifies", deposit.isoformat(), "FRA",
                  "budapest-convention"))
    in_force = act(ct.EntryIntoForce, "fra-in-force", day.isoformat(), "FRA",
                   "budapest-convention")
    if shift == 0:
        tl.append(in_force)
    else:
        with pytest.raises(ct.ValidationError, match=r"rule puts it|before the consent"):
            tl.append(in_force)
    assert expected.day == 1
    assert expected > deposit


@given(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2026, 6, 30)),
       st.sampled_from([ct.Signature, ct.Ratification, ct.Accession]))
def test_no_act_before_the_opening_is_accepted(day: dt.date, kind: type[ct.TreatyAct]) -> None:
    """Property: an act on the Second Protocol is refused exactly when dated before its
    opening (2022-05-12); the parent's consent is given first."""
    tl = ct.Timeline()
    tl.append(act(ct.Accession, "esp-accedes", "1995-01-01", "ESP", "budapest-convention",
                  irregular="before the Convention opened: only to give a parent consent"))
    protocol_act = act(kind, "esp-acts", day.isoformat(), "ESP")
    if day < dt.date(2022, 5, 12):
        with pytest.raises(ct.ValidationError, match="before the budapest-protocol-2 opened"):
            tl.append(protocol_act)
    else:
        tl.append(protocol_act)


def test_an_irregular_act_says_why_in_files_and_exports(tmp_path: Path) -> None:
    """``irregular`` reads back from a store; empty text is refused."""
    with pytest.raises(ValueError, match="'irregular' is empty"):
        act(ct.Ratification, "x", "2023-01-01", irregular=" ")
    tl = ct.create(tmp_path / "store.sqlite")
    tl.append(act(ct.Ratification, "kor-ratifies-p2", "2019-03-01", irregular="a test"))
    stored = ct.load(tmp_path / "store.sqlite").event("kor-ratifies-p2")
    assert isinstance(stored, ct.TreatyAct)
    assert stored.irregular == "a test"
