"""The page as a whole: offline loading, lazy views, notices, presets, reset, per-session state."""

from ui_helpers import (
    box_value,
    choose,
    data_fingerprint,
    notice_text,
    open_app,
    pane_text,
    query,
    screenshot,
    settled_fingerprint,
    type_value,
    wait_for_data_change,
    wait_for_notice,
    wait_until,
)


def test_page_loads_only_the_visible_view_and_serves_its_css(page, app_url):
    open_app(page, app_url)
    wait_until(lambda: "Tunneling distance" in pane_text(page, "fndam-summary"), message="no band view")
    screenshot(page, "shell_default")
    # The current view is built on first opening: none of its widgets exist yet.
    assert page.get_by_text("Download J-E data (CSV)").count() == 0
    # assets/style.css reached the page (served by the app itself).
    css = page.evaluate("() => [...document.querySelectorAll('style')].map(s => s.textContent).join('')")
    assert ".fndam-summary" in css


def test_malformed_url_shows_notice_keeps_valid_values_and_cleans_url(page, app_url):
    open_app(page, app_url, "?vox=abc&d=9&phi=99&foo=1")
    text = wait_for_notice(page, "URL parameter vox")
    assert "URL parameter phi" in text
    assert "'foo'" in text
    assert box_value(page, "oxide_thickness_nm") == 9.0  # the valid parameter was applied
    assert box_value(page, "oxide_voltage") == 10.0
    assert box_value(page, "barrier_height_eV") == 3.2
    url = wait_until(lambda: (q := query(page)).get("vox") == "10.0" and q, message="URL not cleaned")
    assert url["d"] == "9.0"
    assert url["phi"] == "3.2"
    assert "foo" not in url
    screenshot(page, "shell_bad_url_notice")


def test_out_of_range_typed_value_shows_notice_and_keeps_last_valid(page, app_url):
    open_app(page, app_url)
    type_value(page, "oxide_voltage", 12)
    wait_until(lambda: query(page).get("vox") == "12.0", message="URL did not follow the typed value")
    before = settled_fingerprint(page)
    type_value(page, "oxide_voltage", 99)
    assert "99 is not a number between 1 and 15" in wait_for_notice(page, "kept 12")
    wait_until(lambda: box_value(page, "oxide_voltage") == 12.0, message="box not reset to 12")
    assert data_fingerprint(page) == before
    assert query(page)["vox"] == "12.0"
    type_value(page, "oxide_voltage", 11)  # a valid value clears the notice
    wait_until(lambda: notice_text(page) == "", message="notice not cleared")


def test_preset_and_reset(page, app_url):
    open_app(page, app_url)
    before = settled_fingerprint(page)
    choose(page, "Thin oxide: direct tunneling")
    wait_for_data_change(page, before)
    wait_until(lambda: box_value(page, "oxide_thickness_nm") == 3.0, message="preset not applied")
    wait_until(lambda: "direct tunneling" in pane_text(page, "fndam-summary"), message="no summary")
    screenshot(page, "shell_preset_thin_oxide")
    page.get_by_text("Reset to defaults").click()
    wait_until(lambda: box_value(page, "oxide_thickness_nm") == 12.0, message="reset did not restore 12 nm")
    wait_until(lambda: data_fingerprint(page) == before, message="reset did not restore the default plot")


def test_each_session_has_its_own_state(page, browser, app_url):
    open_app(page, app_url)
    other = browser.new_page()
    try:
        open_app(other, app_url)
        type_value(page, "oxide_thickness_nm", 8)
        wait_until(lambda: query(page).get("d") == "8.0", message="first session did not change")
        assert box_value(other, "oxide_thickness_nm") == 12.0
    finally:
        other.close()
