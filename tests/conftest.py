"""Hypothesis profiles: ``ci`` by default, ``fast`` for ``make test-fast``, ``thorough`` on request
(select with ``HYPOTHESIS_PROFILE=thorough pytest``); the load cache turned off; and the
headless browser of the notebook and site tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

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
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
