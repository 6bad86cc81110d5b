"""View 2, tunneling current: live curves, the operating point shared with view 1, CSV, PNG tool, URL."""

from ui_helpers import (
    legend_entries,
    open_app,
    pane_text,
    reopen_link,
    screenshot,
    tick,
    type_and_check,
    wait_for_legend,
    wait_for_query,
    wait_for_text,
)

from dashboard.testing import data_fingerprint, open_view, type_value, wait_for_data_change


def summary(page):
    return pane_text(page, "fndam-summary", "Operating point")


def open_current(page):
    open_view(page, "Tunneling current")
    page.get_by_text("Download FN-plot data (CSV)").wait_for()


def test_thickness_changes_the_curves_and_voltage_moves_the_shared_operating_point(page, app_url):
    open_app(page, app_url)
    type_value(page, "oxide_voltage", 12)  # set in the band view ...
    wait_for_query(page, vox="12.0")
    open_current(page)
    wait_for_text(page, summary, "Operating point 10.00 MV/cm")  # ... seen here
    wait_for_query(page, view="current")
    type_and_check(page, "oxide_thickness_nm", 6, summary, "FN regime from 5.33 MV/cm", shot="current_6nm")


def test_exact_curve_and_url_round_trip(page, app_url):
    open_app(page, app_url, "?view=current")
    page.get_by_text("Download FN-plot data (CSV)").wait_for()
    before = data_fingerprint(page)
    # A curve that is off has no legend entry (its layer stays, empty, so the plot updates in place).
    wait_for_legend(page, "WKB (Tsu-Esaki)")
    assert "Exact (transfer matrix)" not in legend_entries(page)
    tick(page, "show_exact")
    wait_for_data_change(page, before, timeout=30_000)
    wait_for_text(page, summary, "Exact")
    wait_for_legend(page, "Exact (transfer matrix)")
    url = wait_for_query(page, exact="true")
    screenshot(page, "current_exact")
    # both plots and the summary have followed by now: the link must reproduce them
    reopen_link(page, url, timeout=30_000, oxide_voltage=10.0)


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
