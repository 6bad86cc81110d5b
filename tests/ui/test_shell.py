"""The page as a whole: offline loading, lazy views, notices, presets, reset, per-session state."""

from ui_helpers import (
    box_value,
    choose,
    notice_text,
    open_app,
    pane_text,
    query,
    screenshot,
    wait_for_boxes,
    wait_for_notice,
    wait_for_query,
    wait_for_text,
)

from dashboard.testing import (
    data_fingerprint,
    settled_fingerprint,
    type_value,
    wait_for_data_change,
    wait_until,
)


def any_summary(page):
    return pane_text(page, "fndam-summary")


def test_page_loads_only_the_visible_view_and_serves_its_css(page, app_url):
    open_app(page, app_url)
    wait_for_text(page, any_summary, "Tunneling distance")  # the band view
    screenshot(page, "shell_default")
    # The current view is built on first opening: none of its widgets exist yet.
    assert page.get_by_text("Download J-E data (CSV)").count() == 0
    # assets/style.css reached the page (served by the app itself).
    css = page.evaluate("() => [...document.querySelectorAll('style')].map(s => s.textContent).join('')")
    assert ".fndam-summary" in css


def test_malformed_url_shows_notice_keeps_valid_values_and_cleans_url(page, app_url):
    open_app(page, app_url, "?vox=abc&d=9&phi=99&foo=1")
    wait_for_notice(page, "URL parameter vox", "URL parameter phi", "'foo'")
    # the valid parameter was applied, the others kept their defaults
    wait_for_boxes(page, oxide_thickness_nm=9.0, oxide_voltage=10.0, barrier_height_eV=3.2)
    wait_for_query(page, vox="10.0", d="9.0", phi="3.2", foo=None)
    screenshot(page, "shell_bad_url_notice")


def test_out_of_range_typed_value_shows_notice_and_keeps_last_valid(page, app_url):
    open_app(page, app_url)
    type_value(page, "oxide_voltage", 12)
    wait_for_query(page, vox="12.0")
    before = settled_fingerprint(page)
    type_value(page, "oxide_voltage", 99)
    wait_for_notice(page, "kept 12", "99 is not a number between 1 and 15")
    wait_for_boxes(page, oxide_voltage=12.0)
    # nothing changed: the plots and the URL still hold 12 V
    assert data_fingerprint(page) == before
    assert query(page)["vox"] == "12.0"
    type_value(page, "oxide_voltage", 11)  # a valid value clears the notice

    def notice_cleared():
        assert notice_text(page) == "", f"notice not cleared: {notice_text(page)!r}"

    wait_until(notice_cleared, page)


def test_preset_and_reset(page, app_url):
    open_app(page, app_url)
    before = settled_fingerprint(page)
    choose(page, "Thin oxide: direct tunneling")
    wait_for_data_change(page, before)
    wait_for_boxes(page, oxide_thickness_nm=3.0)  # the preset was applied
    wait_for_text(page, any_summary, "direct tunneling")
    screenshot(page, "shell_preset_thin_oxide")
    page.get_by_text("Reset to defaults").click()
    wait_for_boxes(page, oxide_thickness_nm=12.0)

    def default_plot():
        now = data_fingerprint(page)
        assert now == before, f"reset did not restore the default plot: {now} != {before}"

    wait_until(default_plot, page)


def test_each_session_has_its_own_state(page, browser, app_url):
    open_app(page, app_url)
    other = browser.new_page()
    try:
        open_app(other, app_url)
        type_value(page, "oxide_thickness_nm", 8)
        wait_for_query(page, d="8.0")  # the first session changed ...
        assert box_value(other, "oxide_thickness_nm") == 12.0  # ... the second did not
    finally:
        other.close()


def projector_class(page):
    return page.evaluate("() => document.documentElement.classList.contains('fndam-projector')")


def test_projector_view_from_the_url_and_the_header_toggle(page, app_url):
    open_app(page, app_url, "?projector=true")
    wait_until(lambda: projector_class(page), page)
    font = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
    screenshot(page, "shell_projector")
    page.get_by_role("checkbox", name="Projector view").uncheck()
    wait_for_query(page, projector="false")
    wait_until(lambda: not projector_class(page), page)
    smaller = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
    assert float(smaller[:-2]) < float(font[:-2])
