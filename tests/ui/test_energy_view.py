"""View 5, energy at scale: batch size drives the saving, the baseline beside it, device-physics energy
averaged over the run, sources, URL round trip."""

from ui_helpers import (
    choose,
    open_app,
    pane_text,
    reopen_link,
    screenshot,
    type_and_check,
    wait_for_query,
    wait_for_text,
)

from dashboard.testing import data_fingerprint, open_view, wait_for_data_change, wait_until


def summary(page):
    return pane_text(page, "fndam-summary", "Per update")


def lowercase_summary(page):
    return summary(page).lower()


def test_batch_size_sets_the_saving_and_the_link_reproduces_it(page, app_url):
    # Opened by URL so that, as after the reload below, only this view is built.
    open_app(page, app_url, "?view=energy")
    wait_for_text(page, summary, "saving 22.8x")  # B = 10^1.5, DDR DRAM, reads on both sides
    wait_for_text(page, summary, "against DDR DRAM, reads charged on both sides")
    wait_for_text(page, lowercase_summary, "press-reported projection")

    def sources_in_table():
        count = page.get_by_text("Horowitz, ISSCC 2014", exact=False).count()
        assert count >= 1, "no 'Horowitz, ISSCC 2014' in the sources table"

    wait_until(sources_in_table, page)
    screenshot(page, "energy_default")
    # online learning, B = 1: 205x with reads charged (666x for writes only, docs/science.md section 5)
    type_and_check(page, "log10_batch", 0, summary, "saving 205x")
    url = wait_for_query(page, logB="0.0")
    reopen_link(page, url, log10_batch=0.0)


def test_device_physics_energy_replaces_the_preprint_figure(page, app_url):
    open_app(page, app_url)
    open_view(page, "Energy at scale")
    wait_for_text(page, summary, "the preprint's 5 fJ + one ADC read 20.5 pJ")
    before = data_fingerprint(page)
    choose(page, "Device physics: this element, averaged over the ages of the run (illustrative)")
    wait_for_data_change(page, before)
    wait_for_text(page, summary, "drive 8.63 fJ, read 20.5 pJ")
    screenshot(page, "energy_device_physics")
