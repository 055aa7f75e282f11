"""Headless Debian Chromium driven by selenium: the driver fixture every browser test shares.

Usage in a test module (``tests/`` is on ``sys.path`` through ``tests/conftest.py``)::

    from browser import browser, console_errors, screenshot  # noqa: F401 (fixture)

    @pytest.mark.browser
    def test_page(browser):
        browser.get(url)
        screenshot(browser, "page")
        assert console_errors(browser) == []

Chromium is Debian's ``/usr/bin/chromium`` with ``/usr/bin/chromedriver`` (``.ci/system-deps``
installs both); a missing one fails the test with a message saying what to install — browser
tests are never skipped. Each session gets a fresh profile and no network beyond loopback
(background networking, component updates, sync and QUIC off). Screenshots go to
``tests/artifacts/`` (git-ignored; CI keeps them as artefacts).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["CHROMIUM", "CHROMEDRIVER", "ARTIFACTS", "FLAGS", "make_driver", "browser",
           "console_errors", "screenshot", "wait_for"]

CHROMIUM = Path(os.environ.get("POLICYKG_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("POLICYKG_CHROMEDRIVER", "/usr/bin/chromedriver"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=zh-CN",
)


def _require() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        pytest.fail(f"browser tests need Debian's headless Chromium: {', '.join(missing)} "
                    "missing; install the packages chromium and chromium-driver "
                    "(bash .ci/system-deps)", pytrace=False)


def make_driver(profile: Path):  # -> selenium.webdriver.Chrome
    """A headless Chromium with a fresh profile in ``profile`` and console logging on."""
    _require()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium-manager download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the test session (fresh profile, removed at the end)."""
    profile = Path(tempfile.mkdtemp(prefix="policykg-chromium-"))
    driver = make_driver(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver) -> list[str]:
    """Browser console entries of level SEVERE since the last call (the log is drained)."""
    return [f"{e.get('source', '')}: {e.get('message', '')}"
            for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def screenshot(driver, name: str) -> Path:
    """Save a PNG of the page as ``tests/artifacts/<name>.png`` and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait_for(driver, css: str, *, timeout: float = 20.0):
    """Wait until an element matching ``css`` is present; return it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css)))
