"""View 3, memory dynamics: V(t) reacts to the device controls, the summary follows, URL round trip; the
resolution panel follows the capacitance."""

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

from dashboard.state.memory import PREPRINT_LABEL
from dashboard.testing import open_view

FN_END = "q V = phi: the FN closed form ends"


def summary(page):
    return pane_text(page, "fndam-summary", "k2 = B d")


def test_capacitance_slows_the_decay_and_the_link_reproduces_it(page, app_url):
    # Opened by URL so that, as after the reload below, only this view is built (the data
    # fingerprint covers every plot on the page).
    open_app(page, app_url, "?view=memory")
    # The illustrative device at the session's 300 K: V(1 year) = 6.243 V (6.324 V at 0 K, docs/science.md
    # section 3); its pair's shot noise caps the resolution at 9.1 bits (section 3, resolution).
    wait_for_text(page, summary, "1 year 6.243 V", "9.1 bits over 1 V", "would need C_T ≈ 124 pF")
    wait_for_legend(page, PREPRINT_LABEL)
    screenshot(page, "memory_default")
    # Ten times the capacitance: k1 ten times smaller, the gate holds a higher voltage at one year, and
    # sigma / sqrt(10) buys ~1.6 bits.
    type_and_check(page, "capacitance_fF", 1000, summary, "1 year 6.562 V", "10.7 bits over 1 V")
    url = wait_for_query(page, cap="1000.0", view="memory")
    screenshot(page, "memory_1pF")
    reopen_link(page, url, capacitance_fF=1000.0)


def test_shared_oxide_thickness_moves_the_trajectories(page, app_url):
    open_app(page, app_url)
    open_view(page, "Memory dynamics")
    wait_for_text(page, summary, "k2 = B d = 296.9 V")  # 304.1 V at 0 K; the session is at 300 K
    # the sidebar's operating point: "2 nm thinner"
    type_and_check(page, "oxide_thickness_nm", 10, summary, "k2 = B d = 247.3 V")
    assert FN_END not in legend_entries(page)  # V(10 y) = 4.9 V > phi
    # now V(t) reaches phi/q = 3.2 V after ~65 days
    type_and_check(page, "oxide_thickness_nm", 6, summary,
                   "V reaches phi/q = 3.20 V at 5.62e+06 s (dashed line)")
    wait_for_legend(page, FN_END)
    screenshot(page, "memory_6nm_fn_end")
