"""The guided lecture tour (issue 10) as data, and the state of one walk through it.

``STEPS`` runs from tunneling through a triangle to the energy of training at scale. A step names the
view to open, the settings to apply (the form of ``presets.PRESETS``, applied after a reset by
``presets.apply_settings``), the controls that matter, two or three sentences and one equation; a step
may run an animation of one parameter. Most steps ask a question to predict,
commit, reveal and explain (Crouch et al., Am. J. Phys. 72, 835 (2004)): choices built from real
misconceptions, each with why it is tempting and where it fails, settings that show the consequence with
the sliders' own physics, and an explanation with the computed numbers.

No number a student reads is typed here: texts, prompts and explanations are templates filled from
``dashboard/state`` and ``physics/`` on a fresh session with the step's settings, and the correct choice
is the one nearest to the outcome those compute (docs/science.md sections 2 to 5).
``python -m dashboard.state.tour`` writes the lecturer's notes (docs/tour.md).
"""

import dataclasses
import functools
from collections.abc import Callable

import numpy as np
import param

from dashboard.state.band import AGES
from dashboard.state.memory import PAIR_LOSS, PREPRINT_BITS, REFERENCE_AGE
from dashboard.state.presets import apply_settings
from dashboard.state.session import PARTS, VIEWS, SessionState, url_keys
from dashboard.state.text import duration, number
from physics import energy, fndam, synapse
from physics.constants import MV_PER_CM, YEAR
from physics.tunneling import fn_coefficients

#: The value of ``TourState.step`` while the tour is closed.
CLOSED = ""
def shown(value):
    """A setting's value in a prompt: numbers through :func:`number`, anything else as it is."""
    return number(value) if isinstance(value, float) else str(value)


def fill(template, values):
    """``template`` with its fields from ``values`` (floats through :func:`number`)."""
    return template.format(**{k: shown(v) for k, v in values.items()})


@dataclasses.dataclass(frozen=True)
class Choice:
    """One answer to predict: ``text``; ``value``, the outcome it predicts (in the question's terms);
    ``why``, why it is right, or why it is tempting and where it fails."""

    text: str
    value: float
    why: str


@dataclasses.dataclass(frozen=True, eq=False)
class Question:
    """Predict, commit, reveal, explain.

    ``reveal`` (part -> values, one parameter) is applied over the step's settings to show the
    consequence. ``outcome(before, after)`` reads both states (fresh sessions with the step's settings,
    and with the reveal too) and returns the numbers the explanation quotes, ``value`` among them: the
    correct choice is the one whose ``value`` is nearest to it, on a log ``scale`` for ratios or a
    linear one. ``prompt`` may name ``{was}`` and ``{now}``, the revealed parameter's value before and
    after (through ``show``); ``explanation`` may name those and the outcome's numbers.
    """

    prompt: str
    choices: tuple
    reveal: dict
    outcome: Callable
    explanation: str
    scale: str = "log"
    show: Callable = shown

    def changed(self):
        """(part, parameter name, new value) of the one parameter the reveal sets."""
        ((part, values),) = self.reveal.items()
        ((name, value),) = values.items()
        return part, name, value


@dataclasses.dataclass(frozen=True, eq=False)
class Step:
    """One step of the tour; the methods compute what it shows (cached: the physics is deterministic).

    ``highlights`` are (part, parameter) of the controls that matter; ``facts(session)`` gives the
    numbers ``text`` names; ``animation`` (or None) is {"part", "param", "values"}: a parameter the view
    steps through, in order.
    """

    key: str
    title: str
    view: str
    settings: dict
    highlights: tuple
    text: str
    facts: Callable
    equation: str
    question: Question = None
    animation: dict = None

    def state(self, revealed=False):
        """The settings that show this step (part -> values, the open view included), with the
        question's reveal over them when ``revealed``."""
        settings = {part: dict(values) for part, values in self.settings.items()}
        if revealed:
            for part, values in self.question.reveal.items():
                settings.setdefault(part, {}).update(values)
        return {**settings, "session": {"view": self.view}}

    def session(self, revealed=False):
        """A fresh SessionState showing this step (see :meth:`state`)."""
        session = SessionState()
        apply_step(session, self, revealed)
        return session

    @functools.cache  # noqa: B019 (steps are module constants: the cache lives as long as they do)
    def description(self):
        """The step's text with its numbers, computed on a fresh session with its settings."""
        return fill(self.text, self.facts(self.session()))

    @functools.cache  # noqa: B019 (as description)
    def outcome(self):
        """The question's outcome numbers (``value`` among them), computed before and after the reveal."""
        return self.question.outcome(self.session(), self.session(revealed=True))

    def correct_choice(self):
        """Index of the choice whose predicted value is nearest to the computed outcome."""
        q = self.question
        where = np.log if q.scale == "log" else np.asarray
        values = np.array([c.value for c in q.choices], dtype=float)
        return int(np.argmin(np.abs(where(values) - where(self.outcome()["value"]))))

    def _was_now(self):
        """The revealed parameter's value in the step (its default if the step leaves it) and after."""
        part, name, value = self.question.changed()
        before = self.settings.get(part, {}).get(name, PARTS[part].param[name].default)
        return {"was": self.question.show(before), "now": self.question.show(value)}

    def prompt(self):
        """The question's prompt with the revealed change in it."""
        return self.question.prompt.format(**self._was_now())

    def explanation(self):
        """The explanation shown at the reveal, with the computed numbers."""
        return fill(self.question.explanation, {**self.outcome(), **self._was_now()})


def apply_step(session, step, revealed=False):
    """Show ``step`` on ``session``: reset, the step's settings (and its reveal when ``revealed``),
    and its view."""
    apply_settings(session, step.state(revealed))


# --- What each step reads from the state (all numbers come from dashboard/state and physics) ---

def _distance(session):
    """Tunneling distance at the Fermi level in the band view [nm]."""
    band = session.band
    return band.tunneling_path(band.profile())["distance_nm"]


def _triangle_facts(s):
    dev = s.device
    return {"phi": dev.barrier_height_eV, "voltage": dev.oxide_voltage, "thickness": dev.oxide_thickness_nm,
            "field": dev.field / MV_PER_CM, "distance": _distance(s)}


def _triangle_outcome(before, after):
    x0, x1 = _distance(before), _distance(after)
    return {"value": x1 / x0, "x0": x0, "x1": x1, "field0": before.device.field / MV_PER_CM,
            "field1": after.device.field / MV_PER_CM}


def _exponential_facts(s):
    dev = s.device
    _, b = fn_coefficients(dev.barrier_height_eV, dev.mass_ratio)
    op = s.current.operating_point()
    return {"B": b / MV_PER_CM, "field": op["E_MV_cm"], "J": op["J_A_cm2"], "T": dev.temperature_K}


def _exponential_outcome(before, after):
    op0, op1 = before.current.operating_point(), after.current.operating_point()
    return {"value": op1["J_A_cm2"] / op0["J_A_cm2"], "J0": op0["J_A_cm2"], "J1": op1["J_A_cm2"],
            "field0": op0["E_MV_cm"], "field1": op1["E_MV_cm"]}


def _fn_plot_facts(s):
    dev = s.device
    return {"fit": s.current.fn_plot()["slope_V_per_nm"], "formula": s.current.formula_slope_V_per_nm(),
            "phi": dev.barrier_height_eV, "mass": dev.mass_ratio}


def _fn_plot_outcome(before, after):
    s0, s1 = before.current.fn_plot()["slope_V_per_nm"], after.current.fn_plot()["slope_V_per_nm"]
    return {"value": s1 / s0, "slope0": s0, "slope1": s1}


def _clock_facts(s):
    summary = s.memory.summary()
    return {"k1": summary["k1_per_s"], "k2": summary["k2_V"], "v0": summary["V0"],
            "v_day": summary["V_at"]["1 day"], "v_year": summary["V_at"]["1 year"]}


def _clock_outcome(before, after):
    v0, v1 = (s.memory.summary()["V_at"]["1 year"] for s in (before, after))
    start = after.device.oxide_voltage - before.device.oxide_voltage
    return {"value": (v1 - v0) / start, "v_before": v0, "v_after": v1, "gap": v1 - v0, "start": start}


def _widening_facts(s):
    element = s.device.element()
    fall = fndam.tunneling_current(0.0, element) / fndam.tunneling_current(YEAR, element)
    return {"voltage": s.band.voltage_now(), "distance": _distance(s), "fall": fall}


def _widening_outcome(before, after):
    x0, x1 = _distance(before), _distance(after)
    return {"value": x1 / x0, "x0": x0, "x1": x1, "v0": before.band.voltage_now(),
            "v1": after.band.voltage_now()}


def _pulse_uV(s):
    """How far the illustrative pulse moves the session's element at the energy view's start age [uV]."""
    return -fndam.pulse_update(s.energy.start_age(), s.memory.element()) * 1e6


def _pulses_facts(s):
    age = s.energy.start_age()
    return {"delta": fndam.PULSE_AMPLITUDE, "width": fndam.PULSE_WIDTH, "age": age, "dv": _pulse_uV(s),
            "energy": energy.update_energy_parts(s.memory.element(), age=age).tunneling}


def _pulses_outcome(before, after):
    dv0, dv1 = _pulse_uV(before), _pulse_uV(after)
    return {"value": dv1 / dv0, "dv0": dv0, "dv1": dv1}


def _synapse_facts(s):
    limits = s.memory.limits()
    return {"age": duration(REFERENCE_AGE), "loss": PAIR_LOSS * 100.0,
            "hold": duration(limits["pair_retention_s"]), "sigma": limits["sigma_V"] * 1e3,
            "cap": s.memory.capacitance_fF, "bits": limits["bits"]}


def _synapse_outcome(before, after):
    l0, l1 = before.memory.limits(), after.memory.limits()
    return {"value": l1["bits"] - l0["bits"], "bits0": l0["bits"], "bits1": l1["bits"],
            "sigma0": l0["sigma_V"] * 1e3, "sigma1": l1["sigma_V"] * 1e3, "age": duration(REFERENCE_AGE),
            "cap14": l0["capacitance_for_14_bits_F"] * 1e12, "preprint_bits": PREPRINT_BITS}


def _learning_facts(s):
    return {"steps": s.learning.n_steps, "age": synapse.SynapseParameters().start_age}


def _energy_facts(s):
    summary = s.energy.summary()
    return {"params": summary["N"], "batch": summary["batch"], "baseline": s.energy.baseline,
            "saving": summary["saving"], "press": summary["press"].value}


def _energy_outcome(before, after):
    s0, s1 = before.energy.summary(), after.energy.summary()
    return {"value": s1["saving"], "saving0": s0["saving"], "saving1": s1["saving"], "batch0": s0["batch"],
            "batch1": s1["batch"], "press": s0["press"].value, "press_batch": s0["press_B"],
            "baseline": before.energy.baseline}


def _power_of_ten(value):
    """A log10 setting as the number it stands for."""
    return number(10.0**value)


DEVICE = {"oxide_voltage": 10.0, "oxide_thickness_nm": 12.0}

STEPS = (
    Step(
        key="triangle", title="Tunneling through a triangle", view="band",
        settings={"device": DEVICE},
        highlights=(("device", "oxide_voltage"), ("device", "oxide_thickness_nm"),
                    ("device", "barrier_height_eV")),
        text="An electron at the floating gate's Fermi level faces the oxide's conduction band, {phi} eV "
             "above it, and classically cannot cross. The voltage tilts the band: at {voltage} V across "
             "{thickness} nm the field is {field} MV/cm, and the band drops below the electron's energy "
             "after only {distance} nm. That triangle, not the whole oxide, is what the electron tunnels "
             "through.",
        facts=_triangle_facts,
        equation=r"U(x) = \phi - qEx, \qquad E = \frac{V_{ox}}{d}",
        question=Question(
            prompt="The voltage across the oxide rises from {was} V to {now} V; the oxide stays as thick. "
                   "The distance the electron tunnels:",
            choices=(
                Choice("Stays the same", 1.0,
                       "Tempting, since the oxide is as thick as before. But the electron only tunnels "
                       "through the part of the band above its energy; past the turning point it moves "
                       "freely, and a steeper tilt brings the turning point closer."),
                Choice("Shrinks a little, in proportion to one over the field", 0.8,
                       "Right: the band crosses the electron's energy where φ − qEx vanishes, at x = φ/(qE). "
                       "A stronger field tilts the band more steeply, so the triangle is narrower by "
                       "the same factor as the field grew."),
                Choice("Halves", 0.5,
                       "Tempting, because the current changes a lot with voltage. But the width only "
                       "follows one over the field; it is the current, exponential in that width, that "
                       "changes a lot."),
                Choice("Grows: more voltage makes a bigger barrier", 1.2,
                       "The voltage does not raise the barrier; it tilts it down towards the far "
                       "electrode, so the triangle gets narrower, not wider."),
            ),
            reveal={"device": {"oxide_voltage": 12.0}}, outcome=_triangle_outcome,
            explanation="The triangle becomes {value} times as wide, from {x0} nm to {x1} nm, as the "
                        "field goes from {field0} to {field1} MV/cm: its width is φ/(qE)."),
    ),
    Step(
        key="exponential", title="Why the current is exponential in 1/E", view="current",
        settings={"device": DEVICE},
        highlights=(("device", "oxide_thickness_nm"), ("device", "oxide_voltage"), ("device", "mass_ratio")),
        text="The chance of tunneling falls exponentially with the barrier's width times the square root "
             "of its height, and the triangle is φ/(qE) wide. So the current density is "
             "J = A E² exp(−B/E), with B = {B} MV/cm for this oxide: a small change of field changes J "
             "by large factors. At {field} MV/cm it is {J} A/cm² (WKB, at {T} K).",
        facts=_exponential_facts,
        equation=r"J = A\,E^2 \exp\!\left(-\frac{B}{E}\right)",
        question=Question(
            prompt="The oxide gets thinner, from {was} nm to {now} nm, at the same voltage. The current "
                   "density:",
            choices=(
                Choice("Rises a little, as the oxide is a little thinner", 1.1,
                       "Tempting if the oxide were a resistor, whose current follows one over its "
                       "thickness. Tunneling is not ohmic: the thinner oxide raises the field, and the "
                       "current is exponential in one over the field."),
                Choice("Rises as the field squared", 1.2,
                       "The E² in front does grow, but it is the small effect: the exponential "
                       "exp(−B/E) changes far more."),
                Choice("Rises about tenfold", 10.0,
                       "Right: B/E is large (tens), so a small relative change of the field changes it "
                       "by whole units, and the exponential turns that into an order of magnitude."),
                Choice("Rises about a thousandfold", 1000.0,
                       "Right direction, wrong size: the exponential is steep, but a thousandfold would "
                       "take a much larger change of the field than thinning the oxide this little "
                       "gives."),
            ),
            reveal={"device": {"oxide_thickness_nm": 11.0}}, outcome=_exponential_outcome,
            explanation="J rises {value}x, from {J0} to {J1} A/cm², because the field went from {field0} "
                        "to {field1} MV/cm and J is exponential in −B/E."),
    ),
    Step(
        key="fn-plot", title="The FN plot and what its slope gives", view="current",
        settings={"device": {"oxide_voltage": 8.0, "oxide_thickness_nm": 12.0},
                  "current": {"show_wkb": True}},
        highlights=(("device", "barrier_height_eV"), ("device", "mass_ratio"), ("current", "show_exact")),
        text="Plotted as ln(J/E²) against 1/E, the FN current is a straight line whose slope −B is set by "
             "the barrier height and the electron's mass in the oxide alone, so a measured slope gives "
             "the barrier height. Fitted to the computed WKB points it is {fit} V/nm here, against "
             "{formula} V/nm from the formula with φ = {phi} eV and m* = {mass} m₀.",
        facts=_fn_plot_facts,
        equation=r"\ln\frac{J}{E^2} = \ln A - \frac{B}{E}, \qquad B = b\,\sqrt{m^*/m_0}\;\phi^{3/2}",
        question=Question(
            prompt="The same barrier in a thinner oxide: {was} nm becomes {now} nm. The slope of the FN "
                   "plot:",
            choices=(
                Choice("Stays the same", 1.0,
                       "Right: the plot is drawn against the field, and at a given field the triangle "
                       "is the same whatever the thickness. The thickness only sets which voltage gives "
                       "that field, so the slope measures the barrier and nothing else."),
                Choice("Gets shallower, in proportion to the thickness", 0.75,
                       "Tempting, since the thickness is what changed. But while the barrier is a "
                       "triangle the current at a given field does not depend on the thickness."),
                Choice("Gets steeper as the oxide thins", 1.33,
                       "A thinner oxide does pass more current at the same voltage, but through a "
                       "higher field: the point moves along the same line, the line stays."),
            ),
            reveal={"device": {"oxide_thickness_nm": 9.0}}, outcome=_fn_plot_outcome,
            explanation="The fitted slope goes from {slope0} to {slope1} V/nm ({value}x): the thickness "
                        "moves the operating point along the line, not the line."),
    ),
    Step(
        key="clock", title="The floating gate as a clock", view="memory",
        settings={"device": DEVICE, "memory": {"capacitance_fF": 100.0, "junction_area_um2": 1.0}},
        highlights=(("device", "oxide_voltage"), ("memory", "capacitance_fF"),
                    ("memory", "junction_area_um2"), ("memory", "voltage_step")),
        text="Each electron that leaves lowers V and slows the next, and the result has a closed form: "
             "V(t) = k₂ / ln(k₁ t + k₀), with k₂ = {k2} V and k₁ = {k1} per second for this element. "
             "The quantity exp(k₂/V) grows by k₁ every second, steady as a clock, so the gate falls from "
             "{v0} V to {v_day} V in a day and {v_year} V in a year: its voltage tells how long ago it "
             "was programmed.",
        facts=_clock_facts,
        equation=r"V(t) = \frac{k_2}{\ln(k_1 t + k_0)}, \qquad k_0 = e^{k_2/V_0}",
        question=Question(
            prompt="A second gate is programmed to {now} V instead of {was} V. A year later, the "
                   "difference between the two gates, as a fraction of the difference at the start, is:",
            choices=(
                Choice("The same: both lose charge alike", 1.0,
                       "Tempting if the gate were a leaky bucket with a fixed hole. But the higher gate "
                       "has a stronger field and a thinner triangle, so it leaks much faster and "
                       "catches up."),
                Choice("About half of it", 0.5,
                       "The gap does close, and it closes almost completely: exp(k₂/V) runs at the same "
                       "rate k₁ for both, and soon k₁ t dwarfs where either started."),
                Choice("Almost nothing: they meet", 0.0,
                       "Right: exp(k₂/V) starts at k₀ = exp(k₂/V₀) and gains k₁ every second; after a "
                       "year k₁ t is so much larger than either k₀ that V(t) no longer depends on V₀. "
                       "The gate forgets where it started and keeps only the time."),
                Choice("Larger: the higher gate holds its charge better", 1.5,
                       "More charge does not mean better retention here: a higher voltage means a "
                       "stronger field and a thinner barrier, so the higher gate drains faster."),
            ),
            reveal={"device": {"oxide_voltage": 12.0}}, outcome=_clock_outcome, scale="linear",
            explanation="A year later the gate programmed to {now} V reads {v_after} V and the one "
                        "programmed to {was} V reads {v_before} V: {gap} V apart, a fraction {value} of "
                        "the {start} V they started apart."),
    ),
    Step(
        key="widening", title="The barrier widens as charge leaves", view="band",
        settings={"device": DEVICE, "band": {"age": next(iter(AGES))}},
        highlights=(("band", "age"), ("device", "oxide_voltage")),
        text="Play the animation: as the gate ages its voltage falls, the band tilts less and the "
             "triangle the electrons must cross grows. At programming, at {voltage} V, it is {distance} "
             "nm wide, and the current through it falls {fall}-fold over the first year: the growing "
             "barrier is what slows the gate down.",
        facts=_widening_facts,
        equation=r"x_t = \frac{\phi}{qE} = \frac{\phi\,d}{q\,V(t)}",
        animation={"part": "band", "param": "age", "values": list(AGES)},
        question=Question(
            prompt="The gate ages from {was} to {now}. The tunneling distance then is:",
            choices=(
                Choice("The same: the oxide has not changed", 1.0,
                       "Tempting, since the oxide is as thick as ever. But the distance is set by the "
                       "tilt, φ/(qE), and the tilt falls with the voltage."),
                Choice("About half as long again", 1.5,
                       "Right: x = φd/(qV) grows exactly as V falls, and V falls only by a fraction in "
                       "a year, because each electron that leaves makes the next one slower."),
                Choice("About ten times longer", 10.0,
                       "Tempting, because the current falls by orders of magnitude. But that fall comes "
                       "from the exponential: a modestly wider triangle is enough to cut it enormously."),
                Choice("Shorter: an emptier gate is easier to leave", 0.67,
                       "Fewer electrons do not lower the barrier: its height φ is set by the materials, "
                       "and a smaller voltage tilts it less, so the triangle widens."),
            ),
            reveal={"band": {"age": "1 year"}}, outcome=_widening_outcome,
            explanation="The triangle grows {value}x, from {x0} nm at {v0} V to {x1} nm at {v1} V: the "
                        "distance follows one over the voltage, which falls slowly."),
    ),
    Step(
        key="pulses", title="Pulses that shrink by themselves", view="energy",
        settings={"energy": {"log10_start_age": 2.0}},
        highlights=(("energy", "log10_start_age"), ("energy", "log10_step_seconds")),
        text="To write, a pulse raises the oxide voltage by {delta} V for {width} s, so that extra "
             "electrons tunnel off. At an age of {age} s this pulse moves the gate by {dv} µV, at a cost "
             "of {energy} J of tunneled charge; how far the same pulse moves the gate depends on how "
             "wide the barrier has grown by then.",
        facts=_pulses_facts,
        equation=r"\Delta V \approx -\tau\,[f(V+\delta) - f(V)], \qquad "
                 r"f(V) = \frac{k_1}{k_2}\,V^2 e^{-k_2/V}",
        question=Question(
            prompt="The same pulse is given at an age of {now} s instead of {was} s. It moves the "
                   "voltage:",
            choices=(
                Choice("By the same amount: same pulse, same charge", 1.0,
                       "Tempting: the pulse is identical. But the charge it pulls through depends on "
                       "the barrier, and the older gate's barrier has grown, so far fewer electrons "
                       "cross."),
                Choice("Less, by the square root of how much older it is", 0.1,
                       "Right direction, too little: the pulse's effect falls about as fast as the "
                       "gate's own current, as one over the age, not as its square root."),
                Choice("In proportion to one over the age", 0.01,
                       "Right: the pulse adds the current of a slightly higher voltage for its "
                       "duration, and that current falls as one over the age, because exp(k₂/V) "
                       "grows linearly in time. A learning-rate schedule comes with the physics."),
                Choice("Exponentially less: next to nothing", 1e-4,
                       "The current is exponential in one over the field, but the field itself falls "
                       "only logarithmically in time; together they give one over the age, not an "
                       "exponential collapse."),
            ),
            reveal={"energy": {"log10_start_age": 4.0}}, outcome=_pulses_outcome, show=_power_of_ten,
            explanation="The pulse moves the gate {dv0} µV at {was} s and {dv1} µV at {now} s, {value} "
                        "times as much: close to one over the age. Updates shrink as the device ages, "
                        "with no schedule programmed in."),
    ),
    Step(
        key="synapse", title="A synapse from two clocks, and what limits its precision", view="memory",
        settings={"device": DEVICE, "memory": {"capacitance_fF": 100.0, "voltage_step": 1.0}},
        highlights=(("memory", "capacitance_fF"), ("memory", "voltage_step"),
                    ("memory", "junction_area_um2")),
        text="A weight is the difference of two gates, V₊ − V₋: both fall alike, so the common fall "
             "cancels and only the difference fades, more slowly the older the pair (at {age} old it "
             "takes another {hold} to lose {loss} % of its weight). Precision is limited by electrons "
             "leaving one at a time: at that age this shot noise is σ = {sigma} mV on {cap} fF, so with "
             "an exact readout the pair resolves {bits} bits.",
        facts=_synapse_facts,
        equation=r"\sigma_V = V\sqrt{\frac{q}{2\,k_2\,C_T}}",
        question=Question(
            prompt="The floating-gate capacitance grows from {was} fF to {now} fF. The pair's resolution:",
            choices=(
                Choice("Does not change: the readout sets the precision", 0.0,
                       "With a coarse readout it would; but this resolution assumes an exact one, and "
                       "what remains is the gate's own noise, which the capacitance changes."),
                Choice("Gains about two bits", 2.0,
                       "Right: each electron moves V by q/C_T, and the noise falls as one over the "
                       "square root of C_T. One more bit, half the noise, takes four times the "
                       "capacitance."),
                Choice("Gains about four bits, one per doubling", 4.0,
                       "Tempting from digital memories, where twice the cells is one more bit. Shot "
                       "noise falls only as the square root of the charge: one bit takes four times the "
                       "capacitance."),
                Choice("Loses precision: a larger gate moves less per pulse", -1.0,
                       "It does move less per pulse, which makes steps finer, not coarser; the limit is "
                       "the noise, and a larger gate is quieter."),
            ),
            reveal={"memory": {"capacitance_fF": 1600.0}}, outcome=_synapse_outcome, scale="linear",
            explanation="At {age} old the pair gains {value} bits, from {bits0} to {bits1}, as the shot "
                        "noise falls from {sigma0} to {sigma1} mV. The preprint's {preprint_bits} bits "
                        "would need about {cap14} pF on the same criterion."),
    ),
    Step(
        key="learning", title="Learning with it", view="learning",
        settings={"learning": {"task": "2d"}},
        highlights=(("learning", "task"), ("learning", "k1_spread_pct"), ("learning", "readout_noise_uV"),
                    ("learning", "adc_bits"), ("learning", "pulse_min_width_us")),
        text="An array of such pairs learns online, one sample per step for {steps} steps, beside float "
             "SGD and fixed-point memories, each with its learning rate from the same search. Float SGD "
             "needs a schedule η = η₀ k₀/(k₀ + k) to settle; the array gets one from the physics, since "
             "its pulses shrink as the gates age from {age} s on. Press play and compare accuracy, update "
             "size and energy.",
        facts=_learning_facts,
        equation=r"\eta_k = \eta_0\,\frac{k_0}{k_0 + k}, \qquad k_0 = \frac{t_0}{\Delta t}",
    ),
    Step(
        key="energy", title="Energy at scale: what the press's saving does and does not mean", view="energy",
        settings={"energy": {"log10_params": 9.0, "log10_samples": 9.0, "log10_batch": 0.0,
                             "baseline": "DDR DRAM", "count_reads": True}},
        highlights=(("energy", "log10_batch"), ("energy", "baseline"), ("energy", "count_reads"),
                    ("energy", "log10_params")),
        text="Training costs compute plus updates plus holding the weights, and FN-DAM changes only the "
             "updates. With a batch of {batch} sample per step and a model of {params} parameters whose "
             "updates go through {baseline}, it saves {saving}x. The press reported a {press}x saving "
             "in training energy, a projection whose derivation is not public.",
        facts=_energy_facts,
        equation=r"E = 6ND\,e_\mathrm{flop} + \frac{ND}{B}\,e_\mathrm{write} + E_\mathrm{hold}",
        question=Question(
            prompt="Train like a datacentre: the batch grows from {was} to {now} samples per step. The "
                   "saving becomes:",
            choices=(
                Choice("Still a hundredfold or more", 100.0,
                       "Tempting: each FN-DAM update is still far cheaper than a DRAM update. But a "
                       "batch of B samples costs B times the compute per update, so updates become a "
                       "sliver of the energy."),
                Choice("About tenfold", 10.0,
                       "It falls further: compute grows with the batch while updates stay one per "
                       "parameter per step, so at datacentre batches they hardly count."),
                Choice("Hardly any saving", 1.0,
                       "Right: the saving is (compute + conventional updates) / (compute + FN-DAM "
                       "updates), and once compute dwarfs the updates, cheaper updates change almost "
                       "nothing. A large saving there would need learning in memory, compute included, "
                       "not a memory swap."),
                Choice("Even larger: big batches make more updates", 1e4,
                       "Bigger batches make fewer updates, not more: the model is updated once per "
                       "step, and there are fewer steps."),
            ),
            reveal={"energy": {"log10_batch": 6.6}}, outcome=_energy_outcome, show=_power_of_ten,
            explanation="The saving falls from {saving0}x at a batch of {batch0} to {saving1}x at "
                        "{batch1}: the updates, once per step, are then a sliver next to the compute, "
                        "once per sample. On this model the "
                        "press's {press}x holds only for batches up to {press_batch} against {baseline}."),
    ),
)

STEP_KEYS = tuple(step.key for step in STEPS)


def find_step(value):
    """(step index, None) for a step key or a step number counted from 1 (as text or a whole number),
    else (None, a one-line message)."""
    text = str(value).strip()
    if text in STEP_KEYS:
        return STEP_KEYS.index(text), None
    if text.isdigit() and 1 <= int(text) <= len(STEPS):
        return int(text) - 1, None
    return None, (f"Tour step {text[:40]!r} does not exist: give a number from 1 to {len(STEPS)} or one "
                  f"of {', '.join(STEP_KEYS)}.")


class TourState(param.Parameterized):
    """One walk through the tour on one session: the open step and the question's progress.

    Moving to a step applies its settings to ``session`` (:func:`apply_step`) and clears the answer.
    On a question, an answer is chosen, then committed (it can no longer change), then revealed (the
    reveal's settings are applied). Every action returns None, or a one-line message saying why it was
    refused (never raises).
    """

    session = param.ClassSelector(class_=SessionState, constant=True,
                                  doc="The session the steps set (its parts and open view).")
    step = param.Selector(objects=[CLOSED, *STEP_KEYS], default=CLOSED, label="Tour step",
                          doc="Key of the open step ('' while the tour is closed); kept in the URL so a "
                              "step can be bookmarked or linked from slides.", metadata={"url": "step"})
    answer = param.Integer(None, allow_None=True, bounds=(0, None), constant=True, label="Answer",
                           doc="Index of the chosen choice (None before one is chosen).")
    committed = param.Boolean(False, constant=True, label="Committed",
                              doc="The answer is committed: it can be revealed, no longer changed.")
    revealed = param.Boolean(False, constant=True, label="Revealed",
                             doc="The reveal's settings are applied and the explanation shown.")

    def __init__(self, session, **params):
        super().__init__(session=session, **params)
        if self.current is not None:
            apply_step(self.session, self.current)

    @property
    def index(self):
        """Index of the open step in STEPS, None while the tour is closed."""
        return STEP_KEYS.index(self.step) if self.step != CLOSED else None

    @property
    def current(self):
        """The open Step, None while the tour is closed."""
        return STEPS[self.index] if self.step != CLOSED else None

    @param.depends("step", watch=True)
    def _moved(self):
        self._set_progress(None, False, False)
        if self.current is not None:
            apply_step(self.session, self.current)

    def _set_progress(self, answer, committed, revealed):
        with param.edit_constant(self):
            self.param.update(answer=answer, committed=committed, revealed=revealed)

    def go(self, value):
        """Open the step ``value`` (a key or a number from 1); '' closes the tour."""
        if str(value).strip() == CLOSED:
            return self.exit()
        index, message = find_step(value)
        if message is None:
            self.step = STEP_KEYS[index]
        return message

    def next(self):
        """Open the next step (the first one while the tour is closed)."""
        if self.index is None:
            return self.go(1)
        if self.index == len(STEPS) - 1:
            return f"This is the last step ({len(STEPS)} of {len(STEPS)}); exit closes the tour."
        return self.go(self.index + 2)

    def back(self):
        """Open the previous step."""
        if self.index is None:
            return "The tour is closed; next opens its first step."
        if self.index == 0:
            return "This is the first step; there is none before it."
        return self.go(self.index)

    def exit(self):
        """Close the tour; the session keeps the state it shows."""
        self.step = CLOSED
        return None

    def _question_message(self):
        if self.current is None:
            return "The tour is closed."
        if self.current.question is None:
            return f"Step {self.index + 1} ({self.current.title}) asks no question."
        return None

    def choose(self, index):
        """Choose the answer ``index`` (from 0); only before the answer is committed."""
        if message := self._question_message():
            return message
        if self.committed:
            return "The answer is committed; it can be revealed but no longer changed."
        count = len(self.current.question.choices)
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < count:
            return f"Choice {index!r} does not exist: choose from 0 to {count - 1}."
        self._set_progress(int(index), False, False)
        return None

    def commit(self):
        """Commit the chosen answer."""
        if message := self._question_message():
            return message
        if self.answer is None:
            return "Choose an answer before committing."
        if self.committed:
            return "The answer is already committed."
        self._set_progress(self.answer, True, False)
        return None

    def reveal(self):
        """Apply the question's reveal to the session; only after the answer is committed."""
        if message := self._question_message():
            return message
        if not self.committed:
            return "Commit an answer before the reveal."
        if not self.revealed:
            apply_step(self.session, self.current, revealed=True)
            self._set_progress(self.answer, True, True)
        return None

    def result(self):
        """After the reveal: the ``correct`` index, whether the answer was ``right``, the ``why`` of the
        chosen answer, the ``explanation`` with the computed numbers and ``reasons``; None before.

        ``reasons`` holds every choice as {"index", "text", "why", "chosen", "correct"}: the chosen one
        first, then the correct one (when the answer was wrong), then the others in their order, so a
        student reads why their own answer was tempting before the rest.
        """
        if not self.revealed:
            return None
        step = self.current
        correct = step.correct_choice()
        choices = step.question.choices
        order = dict.fromkeys([self.answer, correct, *range(len(choices))])
        reasons = [{"index": i, "text": choices[i].text, "why": choices[i].why, "chosen": i == self.answer,
                    "correct": i == correct} for i in order]
        return {"correct": correct, "right": self.answer == correct, "why": choices[self.answer].why,
                "explanation": step.explanation(), "reasons": reasons}

    def apply_query(self, query):
        """Open the step named by the URL query's ``step`` (other keys are the session's); return one
        message per value not applied, as :meth:`SessionState.apply_query` does."""
        if "step" not in query:
            return []
        message = self.go(query["step"])
        return [f"URL parameter step: {message}"] if message else []

    def query(self):
        """The URL query of the tour: the open step's key, nothing while it is closed."""
        return {"step": self.step} if self.step != CLOSED else {}


#: URL query key -> ("tour", parameter): the tour's keys beside the session's (``step``).
URL_KEYS = url_keys({"tour": TourState})


def lecturer_notes():
    """The tour for lecturers as Markdown (docs/tour.md): every step's view, settings, text,
    equation, and question with its choices, the computed answer and the explanation."""
    lines = ["# The guided tour", "",
             "Generated from `dashboard/state/tour.py` by `python -m dashboard.state.tour > docs/tour.md`; "
             "a test checks that it matches. Every number is computed on a fresh session with the step's "
             "settings (docs/science.md). A step opens from the URL with `?step=KEY` or `?step=N`.", "",
             "On the page, *Start the guided tour* in the header opens step 1 above the view. Back, Next "
             "and Exit, or the Left, Right and Escape keys while the focus is in the tour, move through "
             "it; on a question, pick an answer, *Commit*, then *Reveal* to apply the change and read "
             "why each answer is right or tempting. The controls a step names are outlined in blue.", ""]
    for number_, step in enumerate(STEPS, start=1):
        lines += [f"## {number_}. {step.title} (`{step.key}`)", "",
                  f"View: {VIEWS[step.view]}. Settings after a reset: {_settings_text(step.settings)}. "
                  f"Controls highlighted: {', '.join(f'{p}.{n}' for p, n in step.highlights)}.", "",
                  step.description(), "", f"$${step.equation}$$", ""]
        if step.animation:
            a = step.animation
            lines += [f"Animation: {a['part']}.{a['param']} through {', '.join(map(str, a['values']))}.", ""]
        if step.question:
            q, correct = step.question, step.correct_choice()
            lines += [f"**Question.** {step.prompt()}", ""]
            lines += [f"{i + 1}. {c.text}{' (correct)' if i == correct else ''}: {c.why}"
                      for i, c in enumerate(q.choices)]
            lines += ["", f"Reveal: {_settings_text(q.reveal)}. {step.explanation()}", ""]
    return "\n".join(lines)


def _settings_text(settings):
    return "; ".join(f"{part}.{name} = {value!r}" for part, values in settings.items()
                     for name, value in values.items())


if __name__ == "__main__":
    print(lecturer_notes())
