"""View 3, memory dynamics: V(t) reacts to the device controls, the summary follows, URL round trip."""

from ui_helpers import (
    box_value,
    data_fingerprint,
    legend_entries,
    open_app,
    open_view,
    pane_text,
    query,
    screenshot,
    settled_fingerprint,
    type_value,
    wait_for_data_change,
    wait_until,
)


def summary(page):
    return pane_text(page, "fndam-summary", "k2 = B d")


def test_capacitance_slows_the_decay_and_the_link_reproduces_it(page, app_url):
    # Opened by URL so that, as after the reload below, only this view is built (the data
    # fingerprint covers every plot on the page).
    open_app(page, app_url, "?view=memory")
    # science.md's illustrative device: V(1 year) = 6.324 V.
    wait_until(lambda: "1 year 6.324 V" in summary(page), message="summary did not follow")
    screenshot(page, "memory_default")
    before = data_fingerprint(page)
    type_value(page, "capacitance_fF", 1000)
    wait_for_data_change(page, before)
    # Ten times the capacitance: k1 ten times smaller, the gate holds a higher voltage at one year.
    wait_until(lambda: "1 year 6.642 V" in summary(page), message="summary did not follow")
    url = wait_until(lambda: query(page).get("cap") == "1000.0" and page.url, message="URL did not follow")
    assert query(page)["view"] == "memory"
    screenshot(page, "memory_1pF")

    after = settled_fingerprint(page)
    page.goto("about:blank")
    open_app(page, url)
    wait_until(lambda: data_fingerprint(page) == after, message="the copied link did not reproduce the plots")
    assert box_value(page, "capacitance_fF") == 1000.0


def test_shared_oxide_thickness_moves_the_trajectories(page, app_url):
    open_app(page, app_url)
    open_view(page, "Memory dynamics")
    wait_until(lambda: "k2 = B d = 304.1 V" in summary(page), message="summary did not follow")
    before = data_fingerprint(page)
    type_value(page, "oxide_thickness_nm", 10)  # the sidebar's operating point: "2 nm thinner"
    wait_for_data_change(page, before)
    wait_until(lambda: "k2 = B d = 253.4 V" in summary(page), message="summary did not follow")
    assert "q V = phi: the FN closed form ends" not in legend_entries(page)  # V(10 y) = 5.0 V > phi
    type_value(page, "oxide_thickness_nm", 6)  # now V(t) reaches phi/q = 3.2 V after ~100 days
    wait_until(lambda: "V reaches phi/q = 3.20 V at 8.92e+06 s (dashed line)" in summary(page),
               message="summary did not follow")
    wait_until(lambda: "q V = phi: the FN closed form ends" in legend_entries(page), message="no marker")
    screenshot(page, "memory_6nm_fn_end")
