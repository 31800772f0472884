"""Hypothesis profiles: ``ci`` by default, ``fast`` for ``make test-fast``, ``thorough`` on request
(select with ``HYPOTHESIS_PROFILE=thorough pytest``); the tests measured slow; the load cache
turned off; the headless browser of the notebook and site tests; and the kinds of the events a
SQL store decodes (`decoded`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests import slow_list

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fast",
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

def cap_examples(test: Any, limit: int) -> None:
    """At most ``limit`` examples for a Hypothesis test, whatever its own ``@settings`` say."""
    # @given reads the settings from this attribute of its wrapper at each run (Hypothesis
    # has no public way to change them once applied); tests/test_makefile.py checks it works.
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    if isinstance(own, settings) and own.max_examples > limit:
        test._hypothesis_internal_use_settings = settings(own, max_examples=limit)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark slow the tests measured slow (`tests.slow_list`); in the ``fast`` profile, cap
    every Hypothesis test at the profile's examples (tests that ask more for themselves
    too)."""
    limit = settings.get_profile("fast").max_examples
    slow = slow_list.listed()
    for item in items:
        if item.nodeid in slow:
            item.add_marker(pytest.mark.slow)
        if PROFILE == "fast" and isinstance(item, pytest.Function):
            cap_examples(getattr(item.obj, "__func__", item.obj), limit)

# The tests read what they wrote, and never into the user's cache folder: the load cache is
# off (for the commands they run too), except in tests/test_load_cache.py, which sets it.
os.environ["CYBERTIMELINE_CACHE"] = "off"


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars", "--window-size=1000,1200")
HOW = ("run `apt-get install -y chromium chromium-driver` (Debian's packages) and "
       "`make install` (Selenium, in the dev extra), then `make test`")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven through its WebDriver, or a skip that says how to get
    one (a failure in CI, where .ci/run installs it)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium")
    if missing:
        message = f"no headless browser ({', '.join(missing)} missing): {HOW}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # The driver and the browser are named: Selenium Manager must not look for others.
    os.environ.setdefault("SE_OFFLINE", "true")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of the events a SQL store decodes from here on (clear it to start again)."""
    from cybertimeline._stores import mapper, sql_index

    kinds: list[str] = []
    real = mapper.map_payload

    def counting(payload: Any, version: Any) -> Any:
        mapped = real(payload, version)
        assert mapped.event is not None
        kinds.append(mapped.event.kind)
        return mapped

    monkeypatch.setattr(sql_index, "map_payload", counting)
    return kinds
