import os

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures in that thread are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is needed for browser tests: {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _site_at_the_live_server(request, monkeypatch):
    """The Site's public address is the live server's, as an install's is where it is
    served: links the site builds (Stripe's return URLs, e-mails) lead back to it."""
    if "live_server" not in request.fixturenames:
        return
    from urllib.parse import urlsplit

    from wagtail.models import Site

    from tests import factories

    address = urlsplit(request.getfixturevalue("live_server").url)
    monkeypatch.setattr(factories, "SITE_ADDRESS", (address.hostname, address.port))
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
