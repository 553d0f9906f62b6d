"""The documentation site in a real browser (Debian's Chromium, driven by Playwright).

The site is served from a temporary folder over http on 127.0.0.1; nothing is
fetched from the network. Playwright's own browser download is not used:
``.ci/run`` installs Debian's ``chromium``.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from test_docs import build_site

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
WINDOW = {"width": 1280, "height": 900}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The site (standard + an operator extension + a glossary) served over http."""
    _, out, _ = build_site(tmp_path_factory)
    handler = functools.partial(_Quiet, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield out, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install 'etom-kg[test]')")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium chromium-driver")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


def _context(browser):
    """A 1,280 px window whose page records console and script errors and refuses any
    request that is not to the local server (that would be the network)."""
    context = browser.new_context(viewport=WINDOW)
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(("http://127.0.0.1:", "data:")):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors, outside


def _open(browser, url: str):
    page, errors, outside = _context(browser)
    page.goto(url)
    return page, errors, outside


@pytest.fixture(scope="module")
def crawl(server, browser):
    """Every page of the site visited once: errors, width, links and anchors."""
    out, base = server
    page, errors, outside = _context(browser)
    seen = {}
    for path in sorted(out.rglob("*.html")):
        url = base + path.relative_to(out).as_posix()
        del errors[:], outside[:]
        page.goto(url, wait_until="load")
        width, links, ids = page.evaluate("""() => [
            document.documentElement.scrollWidth,
            Array.from(document.links, a => a.href),
            Array.from(document.querySelectorAll('[id], a[name]'), e => e.id || e.name)]""")
        seen[url] = {"errors": list(errors), "outside": list(outside), "width": width,
                     "links": links, "ids": set(ids)}
    page.context.close()
    return base, seen


def test_every_page_loads_without_console_errors_or_network(crawl):
    _, seen = crawl
    assert len(seen) > 40
    for url, info in seen.items():
        assert info["errors"] == [], url
        assert info["outside"] == [], url


def test_no_page_is_wider_than_a_1280_px_window(crawl):
    _, seen = crawl
    wide = {url: info["width"] for url, info in seen.items() if info["width"] > WINDOW["width"]}
    assert wide == {}


def test_every_internal_link_resolves_to_a_page_and_anchor(crawl):
    base, seen = crawl
    checked = 0
    for url, info in seen.items():
        for href in info["links"]:
            if not href.startswith(base):
                continue
            target, fragment = urldefrag(href)
            target = target.split("?")[0]
            assert target in seen, f"{url}: dead link {href}"
            if fragment:
                assert fragment in seen[target]["ids"], f"{url}: no anchor {href}"
            checked += 1
    assert checked > 1000


def _search(page, text: str) -> list[dict]:
    page.fill("#q", text)
    page.wait_for_selector("#hits li")
    return page.eval_on_selector_all(
        "#hits li a", "links => links.map(a => ({href: a.getAttribute('href'), "
                      "text: a.innerText}))")


def test_search_finds_order_handling_by_a_russian_word_and_by_its_id(server, browser):
    _, base = server
    page, errors, _ = _open(browser, base + "index.html")
    hits = _search(page, "заказ")
    assert hits[0]["href"] == "process/1.1.1.5.html"
    assert "Обработка заказов" in hits[0]["text"]
    assert any(h["href"] == "scheme/terms.html#order" for h in hits)   # the glossary term
    hits = _search(page, "1.1.1.5")
    assert hits[0]["href"] == "process/1.1.1.5.html"
    hits = _search(page, "2.1.1.5")                         # the operator's level 3
    assert [h["href"] for h in hits] == [f"process/2.1.1.5.{n}.html" for n in (1, 2, 3)]
    hits = _search(page, "1.1.1.5")
    hits = _search(page, "2.1.1.5")
    assert all("extension" in h["text"] or "расширение" in h["text"] for h in hits)
    page.press("#q", "ArrowDown")                            # the keyboard walks the hits
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')") == hits[1]["href"]
    _search(page, "1.1.1.5")
    page.press("#q", "Enter")
    page.wait_for_url("**/process/1.1.1.5.html")
    # From a page one folder down, hits still point at the right pages.
    hits = _search(page, "Order handling")
    assert hits[0]["href"] == "../process/1.1.1.5.html"
    assert errors == []
    page.context.close()


def test_language_switch_shows_one_language_and_is_remembered(server, browser):
    _, base = server
    page, errors, _ = _open(browser, base + "process/1.1.1.5.html")
    heading = page.locator("h1")
    assert "Обработка заказов" in heading.inner_text()
    assert "Order handling" not in heading.inner_text()
    page.click("button[data-set-lang=en]")
    assert "Order handling" in heading.inner_text()
    assert "Обработка заказов" not in heading.inner_text()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title().startswith("1.1.1.5 Order handling")
    assert "Order handling" in page.locator(".diagram.pictogram").inner_text()
    # The next page opens in English too.
    page.goto(base + "index.html")
    assert "Process decomposition" in page.locator("main").inner_text()
    assert "Декомпозиция процессов" not in page.locator("main").inner_text()
    page.click("button[data-set-lang=ru]")
    assert "Декомпозиция процессов" in page.locator("main").inner_text()
    assert errors == []
    page.context.close()


def test_pictogram_text_is_at_least_11_px_on_screen(server, browser):
    _, base = server
    page, _, _ = _open(browser, base + "process/1.1.1.5.html")
    smallest = page.evaluate("""() => {
        const svg = document.querySelector('.diagram.pictogram svg.lang-ru');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const sizes = Array.from(svg.querySelectorAll('[font-size]'),
                                 e => parseFloat(e.getAttribute('font-size')));
        return Math.min(...sizes) * scale;
    }""")
    assert smallest >= 11
    page.context.close()
