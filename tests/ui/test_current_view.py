"""View 2, tunneling current: live curves, the operating point shared with view 1, CSV, PNG tool, URL."""

from ui_helpers import (
    box_value,
    current_url,
    data_fingerprint,
    legend_entries,
    open_app,
    open_view,
    pane_text,
    query,
    screenshot,
    settled_fingerprint,
    tick,
    type_value,
    wait_for_data_change,
    wait_until,
)


def summary(page):
    return pane_text(page, "fndam-summary", "Operating point")


def open_current(page):
    open_view(page, "Tunneling current")
    page.get_by_text("Download FN-plot data (CSV)").wait_for()


def test_thickness_changes_the_curves_and_voltage_moves_the_shared_operating_point(page, app_url):
    open_app(page, app_url)
    type_value(page, "oxide_voltage", 12)  # set in the band view ...
    wait_until(lambda: query(page).get("vox") == "12.0", message="voltage not applied")
    open_current(page)
    wait_until(lambda: "Operating point 10.00 MV/cm" in summary(page), message=summary(page))  # ... seen here
    assert query(page)["view"] == "current"
    before = data_fingerprint(page)
    type_value(page, "oxide_thickness_nm", 6)
    wait_for_data_change(page, before)
    wait_until(lambda: "FN regime from 5.33 MV/cm" in summary(page), message=summary(page))
    screenshot(page, "current_6nm")


def test_exact_curve_and_url_round_trip(page, app_url):
    open_app(page, app_url, "?view=current")
    page.get_by_text("Download FN-plot data (CSV)").wait_for()
    before = data_fingerprint(page)
    # A curve that is off has no legend entry (its layer stays, empty, so the plot updates in place).
    assert "Exact (transfer matrix)" not in legend_entries(page)
    assert "WKB (Tsu-Esaki)" in legend_entries(page)
    tick(page, "show_exact")
    after = wait_for_data_change(page, before, timeout=30)
    wait_until(lambda: "Exact" in summary(page), message=summary(page))
    wait_until(lambda: "Exact (transfer matrix)" in legend_entries(page), message="no legend entry")
    url = wait_until(lambda: query(page).get("exact", "").lower() == "true" and current_url(page),
                     message="URL did not follow")
    screenshot(page, "current_exact")
    after = settled_fingerprint(page)  # both plots and the summary have followed by now

    page.goto("about:blank")
    open_app(page, url)
    wait_until(lambda: data_fingerprint(page) == after, timeout=30, message="link did not reproduce the plot")
    assert box_value(page, "oxide_voltage") == 10.0


def test_csv_download_and_png_save_tool(page, app_url):
    open_app(page, app_url, "?view=current")
    page.get_by_text("Download FN-plot data (CSV)").wait_for()
    with page.expect_download() as info:
        page.get_by_text("Download J-E data (CSV)").click()
    text = open(info.value.path()).read()
    assert "method,E_MV_cm,J_A_cm2" in text
    assert "\nwkb," in text
    # Each plot has Bokeh's save tool (PNG).
    assert page.locator(".bk-tool-icon-save").count() >= 2
