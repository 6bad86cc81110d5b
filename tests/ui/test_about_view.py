"""View 6, About: equations typeset by the KaTeX the app serves itself, references with DOIs."""

from urllib.parse import urlsplit

from ui_helpers import open_app, screenshot, wait_for_query

from dashboard.testing import open_view, wait_until


def test_equations_render_with_local_katex_and_references_have_dois(page, app_url):
    katex = []
    page.on("request", lambda r: katex.append(r.url) if "katex" in r.url.lower() else None)
    open_app(page, app_url)
    open_view(page, "About")

    def typeset():
        count = page.locator(".katex").count()
        assert count >= 3, f"equations not typeset by KaTeX: {count} .katex elements"

    wait_until(typeset, page)
    assert katex
    assert all(urlsplit(u).netloc == urlsplit(app_url).netloc for u in katex), katex
    # KaTeX's script and stylesheet came from the app (Panel shows KaTeX's MathML output: no web fonts).
    assert any("katex.min.js" in u for u in katex), katex
    assert any("katex.min.css" in u for u in katex), katex
    assert page.locator("a[href='https://doi.org/10.1038/s41467-022-29320-6']").count() == 1
    wait_for_query(page, view="about")
    screenshot(page, "about")
