"""View 4, synapse learning: play streams training with progress, pause/step/reset, controls restart."""

from ui_helpers import (
    open_app,
    pane_text,
    record_texts,
    recorded_texts,
    screenshot,
    type_and_check,
    wait_for_boxes,
    wait_for_query,
    wait_for_text,
)

from dashboard.testing import data_fingerprint, open_view, type_value, wait_for_data_change, wait_until


def summary(page):
    return pane_text(page, "fndam-summary", "FN-DAM synapse array")


def steps_in(text):
    """The step count of a summary text, -1 if it shows none."""
    return int(text.split("Step ")[1].split(" of")[0].replace(",", "")) if "Step " in text else -1


def wait_for_steps(page, n, timeout=20_000):
    """Wait until the summary shows step ``n``."""
    def steps_shown():
        text = summary(page)
        assert steps_in(text) == n, f"expected step {n}, the summary shows: {text!r}"

    wait_until(steps_shown, page, timeout)


def click(page, button):
    page.get_by_role("button", name=button, exact=True).click()


def test_play_streams_training_to_the_end(page, app_url):
    open_app(page, app_url)
    open_view(page, "Synapse learning")
    type_and_check(page, "n_steps", 600, summary, "of 600", new_data=False)
    before = data_fingerprint(page)
    record_texts(page, "fndam-summary", "FN-DAM synapse array")
    click(page, "Play")
    wait_for_data_change(page, before, settle=False)
    screenshot(page, "learning_running")
    done = wait_for_text(page, summary, "(done)", timeout=60_000)
    # Streaming: the page showed the step count rising through the run, not only its end.
    shown = [steps_in(t) for t in recorded_texts(page)]
    running = [n for n in shown if 0 < n < 600]
    assert len(set(running)) >= 2, f"no progress shown while running: {shown}"
    assert running == sorted(running), f"the step count went backwards: {shown}"
    assert "FN-DAM synapse array: accuracy 0." in done

    def back_to_play():  # at the end
        count = page.get_by_role("button", name="Play", exact=True).count()
        assert count == 1, f"{count} Play buttons"

    wait_until(back_to_play, page)
    wait_for_query(page, steps="600")
    screenshot(page, "learning_done")


def test_step_reset_and_a_control_restart_the_run(page, app_url):
    open_app(page, app_url, "?view=learning")
    wait_for_steps(page, 0)
    click(page, "Step")  # one chunk of steps_per_tick = 100
    wait_for_steps(page, 100)
    click(page, "Step")
    wait_for_steps(page, 200)
    click(page, "Reset")
    wait_for_steps(page, 0)
    click(page, "Step")
    wait_for_steps(page, 100)
    type_value(page, "readout_noise_uV", 1000)  # a new array: the run starts again
    wait_for_steps(page, 0)
    wait_for_query(page, noise="1000.0")


def test_a_copied_link_restores_the_run_settings(page, app_url):
    open_app(page, app_url, "?view=learning&task=64d&steps=300&noise=500&adc=10&seed=7&round=stochastic")
    wait_for_text(page, summary, "of 300", "up or down at random")  # the link's step count and rounding
    wait_for_query(page, round="stochastic", task="64d")
    wait_for_boxes(page, readout_noise_uV=500.0, adc_bits=10.0, seed=7.0)
    click(page, "Step")
    wait_for_steps(page, 100)
    screenshot(page, "learning_from_link")
