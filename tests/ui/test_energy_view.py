"""View 5, energy at scale: batch size drives the saving, device-physics energy, sources, URL round trip."""

from ui_helpers import (
    box_value,
    choose,
    data_fingerprint,
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
    return pane_text(page, "fndam-summary", "Per update")


def test_batch_size_sets_the_saving_and_the_link_reproduces_it(page, app_url):
    # Opened by URL so that, as after the reload below, only this view is built.
    open_app(page, app_url, "?view=energy")
    wait_until(lambda: "saving 22.1x" in summary(page), message="summary did not follow")  # B = 10^1.5
    assert "press-reported projection" in summary(page).lower()
    assert page.get_by_text("Horowitz, ISSCC 2014", exact=False).count() >= 1  # sources in the table
    screenshot(page, "energy_default")
    before = data_fingerprint(page)
    type_value(page, "log10_batch", 0)  # online learning, B = 1: science.md's ~670x
    wait_for_data_change(page, before)
    wait_until(lambda: "saving 666x" in summary(page), message="summary did not follow")
    url = wait_until(lambda: query(page).get("logB") == "0.0" and page.url, message="URL did not follow")

    after = settled_fingerprint(page)
    page.goto("about:blank")
    open_app(page, url)
    wait_until(lambda: data_fingerprint(page) == after, message="the copied link did not reproduce the plots")
    assert box_value(page, "log10_batch") == 0.0


def test_device_physics_energy_replaces_the_published_figure(page, app_url):
    open_app(page, app_url)
    open_view(page, "Energy at scale")
    wait_until(lambda: "FN-DAM 5 fJ" in summary(page), message="summary did not follow")
    before = data_fingerprint(page)
    choose(page, "Device physics: this element (illustrative)")
    wait_for_data_change(page, before)
    wait_until(lambda: "FN-DAM 611 aJ" in summary(page), message="summary did not follow")
    screenshot(page, "energy_device_physics")
