"""View 4, synapse learning: play streams training with progress, pause/step/reset, controls restart."""

from ui_helpers import (
    box_value,
    data_fingerprint,
    open_app,
    open_view,
    pane_text,
    query,
    record_texts,
    recorded_texts,
    screenshot,
    type_value,
    wait_until,
)


def summary(page):
    return pane_text(page, "fndam-summary", "FN-DAM synapse array")


def steps_in(text):
    """The step count of a summary text, -1 if it shows none."""
    return int(text.split("Step ")[1].split(" of")[0].replace(",", "")) if "Step " in text else -1


def steps_done(page):
    return steps_in(summary(page))


def test_play_streams_training_to_the_end(page, app_url):
    open_app(page, app_url)
    open_view(page, "Synapse learning")
    type_value(page, "n_steps", 600)
    wait_until(lambda: "of 600" in summary(page), message="summary did not follow")
    before = data_fingerprint(page)
    record_texts(page, "fndam-summary", "FN-DAM synapse array")
    page.get_by_role("button", name="Play", exact=True).click()
    wait_until(lambda: data_fingerprint(page) != before, message="the plots did not change")
    screenshot(page, "learning_running")
    wait_until(lambda: "(done)" in summary(page), timeout=60, message="summary did not follow")
    # Streaming: the page showed the step count rising through the run, not only its end.
    shown = [steps_in(text) for text in recorded_texts(page)]
    running = [n for n in shown if 0 < n < 600]
    assert len(set(running)) >= 2, f"no progress shown while running: {shown}"
    assert running == sorted(running), f"the step count went backwards: {shown}"
    text = summary(page)
    assert "FN-DAM synapse array: accuracy 0." in text
    assert page.get_by_role("button", name="Play", exact=True).count() == 1  # back to Play at the end
    assert query(page)["steps"] == "600"
    screenshot(page, "learning_done")


def test_step_reset_and_a_control_restart_the_run(page, app_url):
    open_app(page, app_url, "?view=learning")
    wait_until(lambda: steps_done(page) == 0, message="summary did not follow")
    page.get_by_role("button", name="Step", exact=True).click()  # one chunk of steps_per_tick = 100
    wait_until(lambda: steps_done(page) == 100, message="summary did not follow")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_until(lambda: steps_done(page) == 200, message="summary did not follow")
    page.get_by_role("button", name="Reset", exact=True).click()
    wait_until(lambda: steps_done(page) == 0, message="summary did not follow")
    page.get_by_role("button", name="Step", exact=True).click()
    wait_until(lambda: steps_done(page) == 100, message="summary did not follow")
    type_value(page, "readout_noise_uV", 1000)  # a new array: the run starts again
    wait_until(lambda: steps_done(page) == 0, message="summary did not follow")
    assert query(page)["noise"] == "1000.0"


def test_a_copied_link_restores_the_run_settings(page, app_url):
    open_app(page, app_url, "?view=learning&task=64d&steps=300&noise=500&adc=10&seed=7&round=stochastic")
    wait_until(lambda: "of 300" in summary(page), message="the link's step count was not applied")
    assert "up or down at random" in summary(page)
    assert query(page)["round"] == "stochastic"
    assert box_value(page, "readout_noise_uV") == 500.0
    assert box_value(page, "adc_bits") == 10.0
    assert box_value(page, "seed") == 7.0
    assert query(page)["task"] == "64d"
    page.get_by_role("button", name="Step", exact=True).click()
    wait_until(lambda: steps_done(page) == 100, message="summary did not follow")
    screenshot(page, "learning_from_link")
