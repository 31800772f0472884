"""``import-votes`` and ``import-chart`` with ``--into postgresql://...``: into the server's
store (created in its schema if missing), not into a local folder named after the URL."""

from __future__ import annotations

from pathlib import Path

import pytest

import cybertimeline as ct
from cybertimeline._cli import main
from tests.postgres_server import require
from tests.test_import_chart import COE, write
from tests.test_import_votes import ROLL_CALLS, VOTES


@pytest.fixture
def url() -> str:
    return require().new_store_url()


def test_import_votes_into_a_new_server_store(url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is created in the URL's schema; run again, nothing is added; no folder
    appears in the working directory."""
    monkeypatch.chdir(tmp_path)
    assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", url]) == 0
    assert "13 records read, 13 added" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
    assert main(["import-votes", str(VOTES), str(ROLL_CALLS), "--into", url]) == 0
    assert "0 added, 0 corrected, 13 unchanged" in capsys.readouterr().out
    with ct.load(url) as tl:
        assert len(tl) == 13


def test_import_chart_into_an_existing_server_store(url: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ct.create(url).close()
    chart = write(tmp_path, COE)
    monkeypatch.chdir(tmp_path)
    assert main(["import-chart", str(chart), "--into", url, "--instrument",
                 "budapest-convention", "--as-of", "2020-01-01", "--complete"]) == 0
    assert "17 added" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.csv"]
    assert main(["--events", url, "status", "budapest-convention", "--as-of", "2019-12-31"]
                ) == 0
    assert "Mauritius" in capsys.readouterr().out


def test_a_missing_store_suggests_a_command_that_runs(url: str, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    """The error of a URL without a store suggests ``import --into URL``, which then works."""
    with pytest.raises(ct.NoStoreError, match="cybertimeline --events SOURCE import --into URL"):
        ct.load(url)
    source = tmp_path / "source"
    ct.create(source).close()
    assert main(["--events", str(source), "import", "--into", url]) == 0
    ct.load(url).close()
