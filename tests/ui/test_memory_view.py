"""View 3, memory dynamics: V(t) reacts to the device controls, the summary follows, URL round trip."""

from ui_helpers import (
    legend_entries,
    open_app,
    pane_text,
    reopen_link,
    screenshot,
    type_and_check,
    wait_for_legend,
    wait_for_query,
    wait_for_text,
)

from dashboard.testing import open_view

FN_END = "q V = phi: the FN closed form ends"


def summary(page):
    return pane_text(page, "fndam-summary", "k2 = B d")


def test_capacitance_slows_the_decay_and_the_link_reproduces_it(page, app_url):
    # Opened by URL so that, as after the reload below, only this view is built (the data
    # fingerprint covers every plot on the page).
    open_app(page, app_url, "?view=memory")
    # docs/science.md section 3, illustrative device: V(1 year) = 6.324 V.
    wait_for_text(page, summary, "1 year 6.324 V")
    screenshot(page, "memory_default")
    # Ten times the capacitance: k1 ten times smaller, the gate holds a higher voltage at one year.
    type_and_check(page, "capacitance_fF", 1000, summary, "1 year 6.642 V")
    url = wait_for_query(page, cap="1000.0", view="memory")
    screenshot(page, "memory_1pF")
    reopen_link(page, url, capacitance_fF=1000.0)


def test_shared_oxide_thickness_moves_the_trajectories(page, app_url):
    open_app(page, app_url)
    open_view(page, "Memory dynamics")
    wait_for_text(page, summary, "k2 = B d = 304.1 V")
    # the sidebar's operating point: "2 nm thinner"
    type_and_check(page, "oxide_thickness_nm", 10, summary, "k2 = B d = 253.4 V")
    assert FN_END not in legend_entries(page)  # V(10 y) = 5.0 V > phi
    # now V(t) reaches phi/q = 3.2 V after ~100 days
    type_and_check(page, "oxide_thickness_nm", 6, summary,
                   "V reaches phi/q = 3.20 V at 8.92e+06 s (dashed line)")
    wait_for_legend(page, FN_END)
    screenshot(page, "memory_6nm_fn_end")
