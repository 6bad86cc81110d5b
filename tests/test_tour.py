"""The guided tour: steps as data, questions whose right answer the physics computes (checked here by
other functions of physics/), settings that give a valid state, and TourState's rules."""

import math
import re
from pathlib import Path

import numpy as np
import pytest

from dashboard.state import tour
from dashboard.state.band import AGES
from dashboard.state.session import PARTS, VIEWS, SessionState, url_keys
from dashboard.state.tour import CLOSED, STEP_KEYS, STEPS, TourState, duration, number, shown
from physics import barrier, energy, fndam, tunneling
from physics.constants import DAY, MV_PER_CM, YEAR, Q

QUESTIONS = [step for step in STEPS if step.question]
NOTES = Path(__file__).resolve().parents[1] / "docs" / "tour.md"


def by_key(key):
    return STEPS[STEP_KEYS.index(key)]


def setting(step, part, name):
    """The value a step gives a parameter (its default when the step leaves it)."""
    return step.settings.get(part, {}).get(name, PARTS[part].param[name].default)


def element(voltage=10.0, capacitance=100e-15):
    """The session's element rebuilt by hand: the illustrative device at the session's 300 K."""
    return fndam.FNDAMDevice(initial_voltage=voltage, capacitance=capacitance, temperature=300.0)


# --- Each question's outcome, recomputed by other functions than the step's ---

def triangle_ratio(step):
    """x_t = phi/(qE) (barrier.tunneling_distance), not the band view's sampled profile."""
    d = setting(step, "device", "oxide_thickness_nm") * 1e-9
    v0, v1 = setting(step, "device", "oxide_voltage"), step.question.changed()[2]
    return barrier.tunneling_distance(v1 / d) / barrier.tunneling_distance(v0 / d)


def exponential_ratio(step):
    """The 0 K FN formula, not the WKB Tsu-Esaki current at 300 K."""
    v = setting(step, "device", "oxide_voltage")
    d0, d1 = setting(step, "device", "oxide_thickness_nm") * 1e-9, step.question.changed()[2] * 1e-9
    return tunneling.fn_current_density(v / d1) / tunneling.fn_current_density(v / d0)


def fn_plot_ratio(step):
    """np.polyfit of ln(J/E^2) on 1/E of WKB currents computed here for both thicknesses."""
    fields = np.linspace(6.0, 10.0, 9) * MV_PER_CM

    def slope(d):
        j = [float(tunneling.current_density(f * d, d, temperature=300.0)) for f in fields]
        return np.polyfit(1.0 / fields, np.log(np.array(j) / fields**2), 1)[0]

    thickness_nm = setting(step, "device", "oxide_thickness_nm")
    return slope(step.question.changed()[2] * 1e-9) / slope(thickness_nm * 1e-9)


def clock_fraction(step):
    """The ODE (1) integrated numerically (fndam.oxide_voltage_ode), not the closed form."""
    v0, v1 = setting(step, "device", "oxide_voltage"), step.question.changed()[2]
    gap = fndam.oxide_voltage_ode(YEAR, element(v1)) - fndam.oxide_voltage_ode(YEAR, element(v0))
    return gap / (v1 - v0)


def widening_ratio(step):
    """phi d / V(t) with V from the ODE."""
    v0 = setting(step, "device", "oxide_voltage")
    age = AGES[step.question.changed()[2]]
    return v0 / fndam.oxide_voltage_ode(age, element(v0))


def pulses_ratio(step):
    """The small-pulse limit dV ~ -tau [f(V + delta) - f(V)], f = (k1/k2) V^2 exp(-k2/V)
    (docs/science.md section 4), V from the ODE; not fndam.pulse_update."""
    device = element()
    _, k1, k2 = device.constants()

    def rate(v):
        return k1 / k2 * v**2 * math.exp(-k2 / v)

    def moved(age):
        v = fndam.oxide_voltage_ode(age, device)
        return fndam.PULSE_WIDTH * (rate(v + fndam.PULSE_AMPLITUDE) - rate(v))

    ages = [10.0 ** setting(step, "energy", "log10_start_age"), 10.0 ** step.question.changed()[2]]
    return moved(ages[1]) / moved(ages[0])


def synapse_bits(step):
    """Bits gained = log2 of the shot-noise ratio, sigma_V = V sqrt(q / (2 k2 C_T)) (docs/science.md
    section 3), V from the ODE at one day."""
    def sigma(capacitance_fF):
        device = element(capacitance=capacitance_fF * 1e-15)
        k2 = device.constants()[2]
        return fndam.oxide_voltage_ode(DAY, device) * math.sqrt(Q / (2.0 * k2 * device.capacitance))

    return math.log2(sigma(setting(step, "memory", "capacitance_fF")) / sigma(step.question.changed()[2]))


def energy_saving(step):
    """physics.energy.saving_ratio (compute and updates, no hold), not the energy view's split."""
    conventional = energy.baseline_update_energy(setting(step, "energy", "baseline"), reads=True)
    fndam_update = energy.PAPER_ENERGY_PER_UPDATE.value + energy.adc_read_energy()
    n, d = 10.0 ** setting(step, "energy", "log10_params"), 10.0 ** setting(step, "energy", "log10_samples")
    batch = 10.0 ** step.question.changed()[2]
    return float(energy.saving_ratio(n, d, batch, conventional_update=conventional,
                                     fndam_update=fndam_update))


INDEPENDENT = {"triangle": triangle_ratio, "exponential": exponential_ratio, "fn-plot": fn_plot_ratio,
               "clock": clock_fraction, "widening": widening_ratio, "pulses": pulses_ratio,
               "synapse": synapse_bits, "energy": energy_saving}


def nearest(question, value):
    values = np.array([c.value for c in question.choices])
    if question.scale == "log":
        return int(np.argmin(np.abs(np.log(values) - np.log(value))))
    return int(np.argmin(np.abs(values - value)))


# --- The data ---

def test_about_nine_steps_with_url_safe_keys_and_at_least_five_questions():
    assert 8 <= len(STEPS) <= 10
    assert len(set(STEP_KEYS)) == len(STEPS)
    assert all(re.fullmatch(r"[a-z][a-z-]*", key) for key in STEP_KEYS)
    assert len(QUESTIONS) >= 5
    assert {step.key for step in QUESTIONS} == set(INDEPENDENT)  # every question is checked below


@pytest.mark.parametrize("step", STEPS, ids=STEP_KEYS)
def test_step_names_a_view_real_controls_and_an_equation(step):
    assert step.view in VIEWS
    assert step.title
    assert step.equation
    assert set(step.settings) <= set(PARTS)
    assert step.highlights
    for part, name in step.highlights:
        p = PARTS[part].param[name]
        assert not p.constant, (part, name)
        assert p.precedence is None or p.precedence >= 0, (part, name)
    if step.question:
        q = step.question
        assert 3 <= len(q.choices) <= 4
        assert q.scale in ("log", "linear")
        assert all(c.text and c.why for c in q.choices)
        part, name, value = q.changed()  # one parameter, and it changes
        assert value != setting(step, part, name)


@pytest.mark.parametrize("step", STEPS, ids=STEP_KEYS)
def test_hand_written_text_holds_no_number(step):
    """Numbers reach students only through computed fields: the templates hold no digit."""
    written = [step.title, step.text]
    if step.question:
        q = step.question
        written += [q.prompt, q.explanation, *(c.text for c in q.choices), *(c.why for c in q.choices)]
    for text in written:
        words = re.sub(r"\{[^}]*\}", "", text).replace("1/E", "")  # fields, and the reciprocal's notation
        assert not re.search(r"[0-9]", words), text


@pytest.mark.parametrize("step", STEPS, ids=STEP_KEYS)
def test_text_is_two_or_three_sentences_with_the_computed_facts(step):
    text = step.description()
    assert "{" not in text
    assert "}" not in text
    assert 2 <= len(re.findall(r"[.!?](?=\s|$)", text)) <= 3, text
    facts = step.facts(step.session())
    assert facts
    assert all(shown(v) in text for v in facts.values())


def test_animation_runs_the_band_age_from_seconds_to_years():
    animated = [step for step in STEPS if step.animation]
    assert [step.key for step in animated] == ["widening"]
    a = animated[0].animation
    assert (a["part"], a["param"]) == ("band", "age")
    assert all(v in PARTS["band"].param["age"].objects for v in a["values"])
    seconds = [AGES[v] for v in a["values"]]
    assert seconds == sorted(seconds)
    assert seconds[1] <= 1.0
    assert seconds[-1] >= YEAR


SHOWN = [(step, False) for step in STEPS] + [(step, True) for step in QUESTIONS]


@pytest.mark.parametrize(("step", "revealed"), SHOWN,
                         ids=[f"{s.key}-{'revealed' if r else 'step'}" for s, r in SHOWN])
def test_settings_give_a_valid_state_whatever_was_set_before(step, revealed):
    fresh = SessionState()
    tour.apply_step(fresh, step, revealed)
    assert fresh.view == step.view
    for part, values in step.state(revealed).items():
        for name, value in values.items():
            assert getattr(fresh.part(part), name) == value
    assert fresh.device.field_warning() == ""  # no breakdown notice
    restored = SessionState()  # a link to it opens without a notice
    assert restored.apply_query(fresh.query()) == []
    assert restored.query() == fresh.query()
    used = SessionState()  # settings are applied after a reset
    used.device.oxide_voltage, used.memory.capacitance_fF, used.energy.log10_batch = 13.0, 7.0, 5.0
    tour.apply_step(used, step, revealed)
    assert used.query() == fresh.query()


# --- The questions ---

@pytest.mark.parametrize("step", QUESTIONS, ids=[s.key for s in QUESTIONS])
def test_correct_choice_matches_an_independent_computation(step):
    independent = INDEPENDENT[step.key](step)
    assert step.correct_choice() == nearest(step.question, independent)
    assert math.isclose(step.outcome()["value"], independent, rel_tol=0.1, abs_tol=1e-6)


@pytest.mark.parametrize("step", QUESTIONS, ids=[s.key for s in QUESTIONS])
def test_explanation_quotes_every_computed_number(step):
    text = step.explanation()
    assert "{" not in text
    assert all(shown(v) in text for v in step.outcome().values())


def test_explanation_numbers_are_those_the_sliders_show():
    """The current step's explanation, against the operating point of a session set by hand."""
    session = SessionState()
    before = session.current.operating_point()["J_A_cm2"]
    session.device.oxide_thickness_nm = 11.0
    after = session.current.operating_point()["J_A_cm2"]
    text = by_key("exponential").explanation()
    assert f"from {number(before)} to {number(after)} A/cm²" in text
    assert f"rises {number(after / before)}x" in text
    session = SessionState()
    session.band.age = "1 year"
    path = session.band.tunneling_path(session.band.profile())
    assert f"to {number(path['distance_nm'])} nm at {number(session.band.voltage_now())} V" in \
        by_key("widening").explanation()


def test_prompt_names_the_change_from_the_settings():
    assert "from 12 nm to 11 nm" in by_key("exponential").prompt()
    assert "at an age of 10000 s instead of 100 s" in by_key("pulses").prompt()


def test_number_and_duration_read_as_a_student_expects():
    assert [number(x) for x in (1600.0, 8.3333, 0.012257, 6.098e-6, 3.98e6, -24.735, 1.0)] == \
        ["1600", "8.33", "0.0123", "6.1e-6", "3.98e6", "-24.7", "1"]
    assert [duration(x) for x in (DAY, 9139.0, 30.0, 2 * YEAR)] == ["1 day", "2.54 hours", "30 seconds",
                                                                    "2 years"]


# --- TourState ---

@pytest.fixture
def walk():
    return TourState(SessionState())


def test_step_is_the_url_key_step_and_nothing_else_is():
    assert url_keys({"tour": TourState}) == tour.URL_KEYS == {"step": ("tour", "step")}


def test_next_opens_each_step_in_turn_and_refuses_past_the_end(walk):
    assert walk.step == CLOSED
    assert walk.query() == {}
    assert walk.back() == "The tour is closed; next opens its first step."
    for key in STEP_KEYS:
        assert walk.next() is None
        assert walk.step == key
        assert walk.session.view == walk.current.view
        assert walk.query() == {"step": key}
    assert walk.next().startswith(f"This is the last step ({len(STEPS)} of {len(STEPS)})")
    assert walk.step == STEP_KEYS[-1]
    assert walk.back() is None
    assert walk.step == STEP_KEYS[-2]


def test_back_refuses_before_the_first_step_and_exit_keeps_the_state(walk):
    walk.next()
    assert walk.back() == "This is the first step; there is none before it."
    walk.go("widening")
    walk.session.device.oxide_voltage = 11.0
    assert walk.exit() is None
    assert walk.step == CLOSED
    assert walk.current is None
    assert walk.index is None
    assert walk.session.view == "band"
    assert walk.session.device.oxide_voltage == 11.0


def test_moving_to_a_step_applies_its_settings_over_what_was_changed(walk):
    walk.go("clock")
    walk.session.device.oxide_voltage = 15.0
    walk.go("triangle")
    assert walk.session.device.oxide_voltage == 10.0
    assert walk.session.view == "band"


@pytest.mark.parametrize("value", [0, len(STEPS) + 1, -1, "nope", "1.5", None])
def test_steps_out_of_range_are_refused_with_a_message(walk, value):
    walk.go("clock")
    message = walk.go(value)
    assert message.startswith("Tour step")
    assert f"from 1 to {len(STEPS)}" in message
    assert walk.step == "clock"


def test_url_query_opens_a_step_by_number_or_key(walk):
    assert walk.go(" 2 ") is None
    assert walk.step == STEP_KEYS[1]
    assert walk.apply_query({"vox": "9"}) == []  # the session's keys are not the tour's
    assert walk.apply_query({"step": "3"}) == []
    assert walk.step == STEP_KEYS[2]
    assert walk.apply_query({"step": "energy"}) == []
    assert walk.session.view == "energy"
    errors = walk.apply_query({"step": "99"})
    assert len(errors) == 1
    assert errors[0].startswith("URL parameter step: Tour step '99' does not exist")
    other = TourState(SessionState())
    assert other.apply_query(walk.query()) == []
    assert other.step == "energy"


def test_a_tour_made_on_a_step_applies_it():
    session = SessionState()
    TourState(session, step="pulses")
    assert session.view == "energy"
    assert session.energy.log10_start_age == 2.0


def test_predict_commit_reveal_in_order(walk):
    walk.go("exponential")
    assert walk.commit() == "Choose an answer before committing."
    assert walk.reveal() == "Commit an answer before the reveal."
    assert walk.result() is None
    assert walk.choose(0) is None
    assert walk.choose(2) is None
    assert walk.answer == 2
    assert not walk.committed
    assert walk.reveal() == "Commit an answer before the reveal."
    assert walk.commit() is None
    assert walk.committed
    assert walk.commit() == "The answer is already committed."
    assert walk.choose(1).startswith("The answer is committed")
    assert walk.answer == 2
    assert walk.session.device.oxide_thickness_nm == 12.0  # nothing revealed yet
    assert walk.reveal() is None
    assert walk.revealed
    assert walk.session.device.oxide_thickness_nm == 11.0
    assert walk.session.view == "current"
    result = walk.result()
    step = walk.current
    reasons = result.pop("reasons")
    assert result == {"correct": step.correct_choice(), "right": step.correct_choice() == 2,
                      "why": step.question.choices[2].why, "explanation": step.explanation()}
    assert reasons[0] == {"index": 2, "text": step.question.choices[2].text,
                          "why": step.question.choices[2].why, "chosen": True, "correct": result["right"]}


@pytest.mark.parametrize("step", QUESTIONS, ids=lambda s: s.key)
@pytest.mark.parametrize("pick", ["right", "wrong"])
def test_reasons_give_every_choice_once_the_chosen_first_then_the_correct_one(walk, step, pick):
    correct = step.correct_choice()
    answer = correct if pick == "right" else (correct + 1) % len(step.question.choices)
    walk.go(step.key)
    walk.choose(answer)
    walk.commit()
    walk.reveal()
    reasons = walk.result()["reasons"]
    first = [answer] if pick == "right" else [answer, correct]
    others = [i for i in range(len(step.question.choices)) if i not in first]
    assert [r["index"] for r in reasons] == first + others
    assert [r["index"] for r in reasons if r["chosen"]] == [answer]
    assert [r["index"] for r in reasons if r["correct"]] == [correct]
    assert all(r["text"] == step.question.choices[r["index"]].text for r in reasons)
    assert all(r["why"] == step.question.choices[r["index"]].why for r in reasons)


@pytest.mark.parametrize("index", [-1, 4, True, "1", 1.0, None])
def test_choices_that_do_not_exist_are_refused(walk, index):
    walk.go("exponential")
    assert walk.choose(index) == f"Choice {index!r} does not exist: choose from 0 to 3."
    assert walk.answer is None


@pytest.mark.parametrize("move", ["next", "back", "exit"])
def test_moving_clears_the_answer(walk, move):
    walk.go("clock")
    walk.choose(2)
    walk.commit()
    walk.reveal()
    assert getattr(walk, move)() is None
    assert (walk.answer, walk.committed, walk.revealed) == (None, False, False)


def test_steps_without_a_question_and_a_closed_tour_refuse_answers(walk):
    assert walk.choose(0) == "The tour is closed."
    walk.go("learning")
    message = f"Step {STEP_KEYS.index('learning') + 1} (Learning with it) asks no question."
    assert walk.choose(0) == walk.commit() == walk.reveal() == message


def test_lecturer_notes_are_generated_from_the_steps():
    """docs/tour.md is ``python -m dashboard.state.tour`` output: regenerate it when a step changes."""
    assert NOTES.read_text(encoding="utf-8") == tour.lecturer_notes() + "\n"
