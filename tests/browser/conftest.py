"""Playwright with Debian's Chromium. No skipping: without /usr/bin/chromium these tests fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_pages(browser):
    """Close each test's pages while its live server still answers (their open connections
    otherwise end during a later test)."""
    yield
    for context in browser.contexts:
        context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


PASSWORD = "browser-pw-1"  # the password the browser tests give the users they create


def login(browser, live_server, username):
    """A new page in a new context, signed in as `username` (password PASSWORD) at /work/."""
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    sign_in(page, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/work/")
    return page


def sign_in(page, username, password):
    """Fill and send the login form the page shows."""
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
