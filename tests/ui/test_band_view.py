"""View 1, band diagram: live controls, the time-since-programming control, URL round trip."""

from ui_helpers import (
    box_value,
    choose,
    current_url,
    data_fingerprint,
    legend_entries,
    line_joins,
    open_app,
    pane_text,
    query,
    screenshot,
    tick,
    type_value,
    wait_for_data_change,
    wait_until,
)


def summary(page):
    return pane_text(page, "fndam-summary", "Tunneling distance")


def test_voltage_changes_the_band_and_the_tunneling_distance(page, app_url):
    open_app(page, app_url)
    # phi / (qE) at 10 V over 12 nm:
    wait_until(lambda: "Tunneling distance 3.85 nm" in summary(page), message=summary(page))
    before = data_fingerprint(page)
    type_value(page, "oxide_voltage", 8)
    wait_for_data_change(page, before)
    wait_until(lambda: "Tunneling distance 4.81 nm" in summary(page), message=summary(page))
    screenshot(page, "band_8V")


def test_direct_tunneling_has_no_turning_point(page, app_url):
    open_app(page, app_url)
    wait_until(lambda: "Classical turning point" in legend_entries(page), message="no turning point at 10 V")
    type_value(page, "oxide_thickness_nm", 3)
    wait_until(lambda: "Tunneling distance 0.96 nm" in summary(page), message=summary(page))
    type_value(page, "oxide_voltage", 2)  # q V_ox < phi: a trapezoidal barrier, crossed whole
    wait_until(lambda: "Tunneling distance 3.00 nm" in summary(page), message=summary(page))
    assert "direct tunneling" in summary(page)
    wait_until(lambda: "Classical turning point" not in legend_entries(page), message="turning point kept")
    assert "Tunneling path" in legend_entries(page)
    # Bevel joins leave specks along the many-segment band line in Chromium (seen in screenshots).
    assert line_joins(page) == {"round"}
    screenshot(page, "band_direct_tunneling")


def test_time_since_programming_widens_the_barrier(page, app_url):
    open_app(page, app_url)
    before = data_fingerprint(page)
    choose(page, "1 year")
    wait_for_data_change(page, before)
    wait_until(lambda: "V_ox now 6.324 V" in summary(page), message=summary(page))
    screenshot(page, "band_after_1_year")


def test_image_force_and_url_round_trip(page, app_url):
    open_app(page, app_url)
    before = data_fingerprint(page)
    tick(page, "image_force")
    after = wait_for_data_change(page, before)
    type_value(page, "oxide_thickness_nm", 9.5)
    after = wait_for_data_change(page, after)
    url = wait_until(lambda: query(page).get("d") == "9.5" and current_url(page),
                     message="URL did not follow")
    assert query(page)["img"].lower() == "true"
    screenshot(page, "band_image_force")

    page.goto("about:blank")
    open_app(page, url)
    wait_until(lambda: data_fingerprint(page) == after, message="the copied link did not reproduce the plot")
    assert box_value(page, "oxide_thickness_nm") == 9.5
