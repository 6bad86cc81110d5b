"""Exercises with worked answers (issue 10), as data: the app's Exercises tab and docs/exercises.md
both read them, so the two never disagree.

Each :class:`Exercise` holds the values its question states (``given``), the app settings that set them
up (in the form of ``dashboard.state.presets.PRESETS``, with ``"session": {"view": ...}``, applied by
``presets.apply_settings`` as a preset is), the controls to look at, and a function that works the
answer out. The answer is computed on a fresh
:class:`SessionState` with those settings applied, from its state parts and ``physics/``, so every
number is the one the app shows after "Try it in the app" (sessions run at 300 K). Nothing a student
reads is typed in: the given values are the app's defaults or the exercise's stated choices.

``python -m dashboard.state.exercises > docs/exercises.md`` writes the document (a test checks that
the committed file is what the data gives now).
"""

import dataclasses
import math
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import param

from dashboard.state.device import OperatingPoint
from dashboard.state.energy import UPDATE_TRAFFIC, EnergyState
from dashboard.state.memory import EXACT_READOUT, PAIR_LOSS, PREPRINT_BITS, REFERENCE_AGE, MemoryState
from dashboard.state.presets import apply_settings
from dashboard.state.session import PARTS, VIEWS, SessionState
from physics import barrier, energy, fndam, synapse, tunneling
from physics import constants as c
from physics.materials import SIO2_JIN


class Answer(NamedTuple):
    """A worked answer: the computed ``numbers`` (name -> value, units in the name or the docstring of
    the function that made them) and the Markdown that walks through them."""

    numbers: dict
    markdown: str


class Worked(NamedTuple):
    """An exercise worked out for given values: the question (Markdown) and its :class:`Answer`."""

    question: str
    answer: Answer


@dataclass(frozen=True)
class Exercise:
    """One exercise as data.

    Attributes
    ----------
    key : str
        Short URL-safe name.
    title : str
        Title shown in the menu and the document.
    question : str
        Markdown template, filled by :func:`fill` from the given values and the computed numbers.
    given : dict
        Values the question states [units in the name], the defaults of ``inputs`` when it has some.
    settings : callable
        ``settings(given)`` -> app settings, part -> parameter values (the form of PRESETS).
    solve : callable
        ``solve(session, given)`` -> :class:`Answer`, ``session`` a fresh SessionState with
        ``settings(given)`` applied.
    hint : str
        Where in the app to look (views, plots, summary lines).
    controls : tuple of (part, name)
        The controls that matter, named by state part and parameter.
    inputs : type, optional
        A Parameterized class of values the student may change (its defaults are ``given``).
    """

    key: str
    title: str
    question: str
    given: dict
    settings: Callable
    solve: Callable
    hint: str
    controls: tuple = ()
    inputs: type = None

    def values(self, **changes):
        """The given values with ``changes`` (from ``inputs``) applied."""
        unknown = set(changes) - set(self.given)
        if unknown:
            raise ValueError(f"{self.key} has no given value {', '.join(sorted(unknown))}")
        return {**self.given, **changes}

    def settings_for(self, **changes):
        """App settings for the given values with ``changes``."""
        return self.settings(self.values(**changes))

    @property
    def view(self):
        """Key of the view "Try it in the app" opens (a key of VIEWS)."""
        return self.settings(self.given)["session"]["view"]

    def work(self, **changes):
        """:class:`Worked` question and answer for the given values with ``changes`` (cached: the same
        for every session)."""
        return _work(self.key, tuple(sorted(self.values(**changes).items())))

    def hint_text(self):
        """Markdown: where to look, then the labels of the controls that matter."""
        labels = ", ".join(f"*{_escape(label_of(part, name))}*" for part, name in self.controls)
        return f"{self.hint} Controls: {labels}." if labels else self.hint


def label_of(part, name):
    """The label of control ``name`` of state part ``part`` (``"session"``: the view selector)."""
    cls = SessionState if part == "session" else PARTS[part]
    return cls.param[name].label


def describe_settings(settings):
    """Markdown: what ``settings`` set (label = value) and the view they open."""
    items = [f"*{_escape(label_of(part, name))}* = {_value_text(value)}"
             for part, values in settings.items() if part != "session" for name, value in values.items()]
    view = VIEWS[settings["session"]["view"]]
    return (f"sets {', '.join(items)} (everything else at its default) and opens *{view}*" if items
            else f"resets every control to its default and opens *{view}*")


def _value_text(value):
    return num(value, 4) if isinstance(value, float) else str(value)


def _escape(label):
    """``label`` with Markdown's emphasis mark escaped (a label may say m*/m0)."""
    return label.replace("*", "\\*")


def num(x, digits=3):
    """``x`` to ``digits`` significant digits, as the app writes numbers (624, 3.1, 1.49e6, 2.8e-5),
    with a true minus sign in front of a negative number."""
    text = f"{x:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    text = f"{mantissa}e{int(exponent)}" if exponent else text
    return "\u2212" + text[1:] if text.startswith("-") else text


class _Formatter(string.Formatter):
    """``str.format`` with one more format spec: ``{x:~}`` is ``num(x)``, ``{x:~4}`` ``num(x, 4)``."""

    def format_field(self, value, format_spec):
        if format_spec.startswith("~"):
            return num(value, int(format_spec[1:] or 3))
        return super().format_field(value, format_spec)


def fill(template, values):
    """``template`` with its fields taken from ``values`` (name -> value), ``{x:~}`` as :func:`num`."""
    return _Formatter().vformat(template, (), values)


@lru_cache(maxsize=128)
def _work(key, given_items):
    exercise = EXERCISES[key]
    given = dict(given_items)
    session = SessionState()
    apply_settings(session, exercise.settings(given))
    answer = exercise.solve(session, given)
    return Worked(fill(exercise.question, {**given, **answer.numbers}), answer)


# --- 1. Thinner oxide: fixed field against fixed voltage (docs/science.md section 2) -----------------

def _thinner_settings(g):
    return {"device": {"oxide_thickness_nm": g["oxide_thickness_nm"] - g["thinner_nm"],
                       "oxide_voltage": g["oxide_voltage"]},
            "session": {"view": "current"}}


def _thinner_solve(session, g):
    dev = session.device
    v, d1, d2 = g["oxide_voltage"], g["oxide_thickness_nm"] * 1e-9, dev.thickness_m  # the thinner oxide
    e1, e2 = barrier.oxide_field(v, d1), barrier.oxide_field(v, d2)
    j1, j2 = (tunneling.fn_current_density(e, dev.barrier_height_eV, dev.mass_ratio) for e in (e1, e2))
    _, b = tunneling.fn_coefficients(dev.barrier_height_eV, dev.mass_ratio)
    v_same_field = e1 * d2  # [V]
    j_same_field = tunneling.fn_current_density(barrier.oxide_field(v_same_field, d2), dev.barrier_height_eV,
                                                dev.mass_ratio)
    oxide = dev.tunneling_inputs()  # the session's oxide at d2; the app's operating point is WKB
    wkb_thick = tunneling.current_density(v, **{**oxide, "oxide_thickness": d1})
    wkb_thin = tunneling.current_density(v, **oxide)
    wkb_same_field = tunneling.current_density(v_same_field, **oxide)
    n = {"E1_MV_cm": e1 / c.MV_PER_CM, "E2_MV_cm": e2 / c.MV_PER_CM, "J1_A_cm2": j1 / c.A_PER_CM2,
         "J2_A_cm2": j2 / c.A_PER_CM2, "ratio_same_voltage": j2 / j1, "prefactor": (d1 / d2) ** 2,
         "exponent": b * (1.0 / e1 - 1.0 / e2), "B_V_per_nm": b * 1e-9, "V_same_field": v_same_field,
         "ratio_same_field": j_same_field / j1, "wkb_ratio_same_voltage": wkb_thin / wkb_thick,
         "wkb_ratio_same_field": wkb_same_field / wkb_thick, "temperature_K": dev.temperature_K,
         "x_t_nm": float(barrier.tunneling_distance(e1, dev.barrier_height_eV)) * 1e9}
    text = f"""\
The FN current density depends on the field alone: J = A E² exp(−B/E), with E = V/d
(docs/science.md section 2). The thickness acts only through the field.

**Same voltage, {num(v)} V.** The field rises from E₁ = {num(n['E1_MV_cm'])} to
E₂ = {num(n['E2_MV_cm'])} MV/cm, and the exponential dominates:

J₂/J₁ = (E₂/E₁)² × exp(B (1/E₁ − 1/E₂)) = (d₁/d₂)² × exp(B Δd / V)

with B = {num(n['B_V_per_nm'], 4)} V/nm (φ = {num(dev.barrier_height_eV)} eV, m\\* = {num(dev.mass_ratio)} m₀)
and Δd = {num(g['thinner_nm'])} nm: J₂/J₁ = {num(n['prefactor'])} × exp({num(n['exponent'])})
= **{num(n['ratio_same_voltage'])}×**, from {num(n['J1_A_cm2'])} to {num(n['J2_A_cm2'])} A/cm².
The WKB current at {num(n['temperature_K'])} K, the app's operating point, rises
{num(n['wkb_ratio_same_voltage'])}×.

**Same field, {num(n['E1_MV_cm'])} MV/cm.** Lower the voltage to E₁ d₂ = {num(v_same_field)} V: the
electron sees the same triangular barrier, φ/(qE) = {num(n['x_t_nm'])} nm wide, whatever oxide lies
beyond it, so J is unchanged (FN formula {num(n['ratio_same_field'])}×, WKB
{num(n['wkb_ratio_same_field'])}×).

A thinner oxide leaks more only because, at the same voltage, it carries a higher field; the
prefactor (E₂/E₁)² contributes just {num(n['prefactor'])}× of the change."""
    return Answer(n, text)


THINNER = Exercise(
    key="thinner-oxide",
    title="A thinner oxide: at the same field, at the same voltage",
    question="""\
An FN-DAM element has a {oxide_thickness_nm:~} nm SiO₂ tunneling oxide with {oxide_voltage:~} V across
it. The oxide is made {thinner_nm:~} nm thinner. By what factor does the Fowler-Nordheim current
density J change if the field across the oxide is kept the same? By what factor if the voltage is kept
the same instead? Predict first: about 2×, 10× or 1000×?""",
    given={"oxide_thickness_nm": OperatingPoint.param.oxide_thickness_nm.default,
           "oxide_voltage": OperatingPoint.param.oxide_voltage.default, "thinner_nm": 1.0},
    settings=_thinner_settings,
    solve=_thinner_solve,
    hint="Tunneling current view: the summary's operating point (field and J). Try it sets the thinner "
         "oxide at the same voltage; compare with the thicker oxide, then lower the voltage until the "
         "field is back where it was.",
    controls=(("device", "oxide_thickness_nm"), ("device", "oxide_voltage")),
)


# --- 2. FN-plot slope to barrier height (docs/science.md section 2) ----------------------------------

def _slope_settings(g):
    return {"device": {"barrier_height_eV": g["barrier_height_eV"], "mass_ratio": g["mass_ratio"]},
            "session": {"view": "current"}}


def _barrier_from_slope(slope, mass_ratio):
    """Barrier height [eV] whose FN slope -B = -b sqrt(m_r) phi^1.5 is ``slope`` [V/m]."""
    return (-slope / (c.FN_B * math.sqrt(mass_ratio))) ** (2.0 / 3.0)


def _slope_solve(session, g):
    dev, current = session.device, session.current
    fit = current.fn_plot()
    slope = fit["slope_V_per_nm"] * 1e9  # [V/m]
    phi = _barrier_from_slope(slope, g["mass_ratio"])
    phi_15 = -slope / (c.FN_B * math.sqrt(g["mass_ratio"]))
    other_mass = OperatingPoint.param.mass_ratio.default
    n = {"slope_V_per_nm": fit["slope_V_per_nm"], "phi_eV": phi,
         "phi_15": phi_15, "temperature_K": dev.temperature_K,
         "error_pct": 100.0 * (phi / g["barrier_height_eV"] - 1.0),
         "formula_slope_V_per_nm": current.formula_slope_V_per_nm(),
         "phi_formula_eV": _barrier_from_slope(current.formula_slope_V_per_nm() * 1e9, g["mass_ratio"]),
         "other_mass": other_mass, "phi_other_mass_eV": _barrier_from_slope(slope, other_mass)}
    text = f"""\
Take logarithms of J = A E² exp(−B/E): ln(J/E²) = ln A − B/E. Against 1/E that is a straight line of
slope −B, with B = b √m_r φ^1.5 and b = 8π√(2m₀)/(3qh) = {num(c.FN_B * 1e-9, 5)} V nm⁻¹ eV^−1.5
(docs/science.md section 2). So φ = (B / (b √m_r))^(2/3):

1. B = −slope = {num(-fit['slope_V_per_nm'], 4)} V/nm.
2. φ^1.5 = {num(-fit['slope_V_per_nm'], 4)} / ({num(c.FN_B * 1e-9, 5)} × √{num(g['mass_ratio'])})
   = {num(phi_15, 4)} eV^1.5.
3. φ = {num(phi_15, 4)}^(2/3) = **{num(phi)} eV**.

The current was computed with φ = {num(g['barrier_height_eV'])} eV: the slope gives
{num(abs(n['error_pct']), 2)} % {'less' if n['error_pct'] < 0 else 'more'}. The FN formula's own slope,
−B = {num(n['formula_slope_V_per_nm'], 4)} V/nm,
gives back {num(n['phi_formula_eV'])} eV exactly; the WKB current at {num(n['temperature_K'])} K is a
little flatter, because warm electrons tunnel through the thinner top of the barrier and that helps
most at low fields (the Murphy-Good factor of section 2), so a barrier extracted at room temperature
comes out low.

The slope fixes √m_r φ^1.5, not φ alone: with m\\* = {num(other_mass)} m₀ the same slope would give
{num(n['phi_other_mass_eV'])} eV. An extracted barrier is only as good as the mass assumed with it."""
    return Answer(n, text)


SLOPE = Exercise(
    key="fn-slope",
    title="From the FN-plot slope to the barrier height",
    question="""\
A Fowler-Nordheim plot, ln(J/E²) against 1/E, of a SiO₂ tunneling oxide is a straight line of slope
{slope_V_per_nm:~4} V/nm. It was fitted to the WKB current at {temperature_K:~} K over the FN-regime
fields of the tunneling-current view. The electron's effective mass in this oxide is {mass_ratio:~} m₀.
What barrier height φ does the slope give? How close is it to the barrier the current was computed
with?""",
    given={"barrier_height_eV": SIO2_JIN.barrier_height_eV, "mass_ratio": SIO2_JIN.mass_ratio},
    settings=_slope_settings,
    solve=_slope_solve,
    hint="Tunneling current view: the FN plot, and the summary's fitted slope and formula slope −B.",
    controls=(("device", "barrier_height_eV"), ("device", "mass_ratio"), ("device", "temperature_K")),
)


# --- 3. Electrons per millivolt (docs/science.md sections 3 and 4) -----------------------------------

def _electrons_settings(g):
    return {"memory": {"capacitance_fF": g["capacitance_fF"]}, "session": {"view": "memory"}}


def _electrons_solve(session, g):
    element = session.memory.element()
    cap = element.capacitance
    v_day = float(fndam.oxide_voltage(c.DAY, element))
    per_hour = float(fndam.electron_rate(c.YEAR, element)) * c.HOUR
    n = {"electrons_per_mV": cap * 1e-3 / c.Q, "V0": element.initial_voltage, "V_day": v_day,
         "electrons_first_day": cap * (element.initial_voltage - v_day) / c.Q,
         "current_year_A": float(fndam.tunneling_current(c.YEAR, element)), "electrons_per_hour": per_hour,
         "temperature_K": element.temperature}
    n["hours_per_mV"] = n["electrons_per_mV"] / per_hour
    text = f"""\
A charge Q = C_T ΔV sits on the gate, and each electron carries q = {num(c.Q, 7)} C, so

n = C_T ΔV / q = {num(cap * 1e15)} fF × 1 mV / q = **{num(n['electrons_per_mV'])} electrons per mV**.

In its first day the gate falls from {num(n['V0'])} V to {num(v_day, 4)} V (V(t) = k₂ / ln(k₁t + k₀),
docs/science.md section 3, at {num(n['temperature_K'])} K): C_T × {num(n['V0'] - v_day, 3)} V / q =
**{num(n['electrons_first_day'])} electrons**.

After one year the current is I = C_T (k₁/k₂) V² / (k₁t + k₀) = {num(n['current_year_A'])} A, i.e.
I/q × 3600 s = **{num(per_hour)} electrons per hour**: a millivolt now takes
{num(n['hours_per_mV'])} hours to leave. The whole memory is a few hundred electrons per millivolt,
counted out ever more slowly; and because they leave one at a time, their count is noisy (shot noise,
the precision exercise)."""
    return Answer(n, text)


ELECTRONS = Exercise(
    key="electrons-per-mv",
    title="Electrons per millivolt on the floating gate",
    question="""\
A floating gate has a total capacitance C_T = {capacitance_fF:~4} fF. How many electrons must leave it
to lower its voltage by 1 mV? Programmed to {V0:~} V, it has fallen to {V_day:~4} V one day later: how
many electrons have tunneled off? About how many leave per hour once it is one year old?""",
    given={"capacitance_fF": MemoryState.param.capacitance_fF.default},
    settings=_electrons_settings,
    solve=_electrons_solve,
    hint="Memory dynamics view: V(t) and the electrons per second against age.",
    controls=(("memory", "capacitance_fF"), ("device", "oxide_voltage")),
)


# --- 4. The barrier that grows (docs/science.md sections 2 and 3) ------------------------------------

def _barrier_settings(g):
    return {"band": {"age": g["age"]}, "session": {"view": "band"}}


def _barrier_solve(session, g):
    dev, band = session.device, session.band
    v_then = band.voltage_now()
    e0, e1 = dev.field, barrier.oxide_field(v_then, dev.thickness_m)
    x0, x1 = (float(barrier.tunneling_distance(e, dev.barrier_height_eV)) * 1e9 for e in (e0, e1))
    j0, j1 = (tunneling.fn_current_density(e, dev.barrier_height_eV, dev.mass_ratio) for e in (e0, e1))
    n = {"V0": dev.oxide_voltage, "thickness_nm": dev.oxide_thickness_nm, "barrier_eV": dev.barrier_height_eV,
         "V_then": v_then, "E0_MV_cm": e0 / c.MV_PER_CM, "E1_MV_cm": e1 / c.MV_PER_CM,
         "x0_nm": x0, "x1_nm": x1, "J0_A_cm2": j0 / c.A_PER_CM2, "J1_A_cm2": j1 / c.A_PER_CM2,
         "fall": j0 / j1, "temperature_K": dev.temperature_K}
    text = f"""\
At the Fermi level an electron tunnels through the triangle from the gate to where the band has fallen
to its energy: x_t = φ/(qE), with E = V/d (docs/science.md section 2).

- Just programmed: E = {num(n['V0'])} V / {num(dev.oxide_thickness_nm)} nm = {num(n['E0_MV_cm'])} MV/cm,
  x_t = {num(dev.barrier_height_eV)} eV / (q × {num(n['E0_MV_cm'])} MV/cm) = **{num(x0)} nm**.
- After {g['age']}: V = {num(v_then, 4)} V (V(t) = k₂ / ln(k₁t + k₀), section 3, at
  {num(n['temperature_K'])} K), E = {num(n['E1_MV_cm'])} MV/cm, x_t = **{num(x1)} nm**.

The FN current density falls from {num(n['J0_A_cm2'])} to {num(n['J1_A_cm2'])} A/cm², a factor of
**{num(n['fall'])}**: the barrier is {num(x1 / x0)}× wider and the tunneling probability falls
exponentially with its width. This is the clock of FN-DAM: each electron that leaves widens the
barrier for the next, so the voltage falls ever more slowly."""
    return Answer(n, text)


GROWING = Exercise(
    key="growing-barrier",
    title="The barrier that grows as charge leaves",
    question="""\
A floating gate is programmed to {V0:~} V across a {thickness_nm:~} nm SiO₂ oxide with a
{barrier_eV:~} eV barrier, and then left alone. How wide is the triangular barrier an electron at the
Fermi level must tunnel through just after programming? How wide is it after {age}, once the voltage
has fallen to {V_then:~4} V? By what factor has the FN current density fallen?""",
    given={"age": "1 year"},
    settings=_barrier_settings,
    solve=_barrier_solve,
    hint="Band diagram view: the barrier and the tunneling distance at each time since programming.",
    controls=(("band", "age"), ("device", "oxide_voltage")),
)


# --- 5. The same pulse, later (docs/science.md section 4) --------------------------------------------

def _pulse_settings(g):
    return {"energy": {"log10_start_age": math.log10(g["age_s"])}, "session": {"view": "energy"}}


def _pulse_solve(session, g):
    element = session.memory.element()
    early, late = g["age_s"], g["age_s"] * g["later"]
    dv_early, dv_late = (float(fndam.pulse_update(t, element)) for t in (early, late))
    e_early, e_late = (float(energy.update_energy_parts(element, age=t).tunneling) for t in (early, late))
    n = {"dV_early_mV": -dv_early * 1e3, "dV_late_mV": -dv_late * 1e3, "shrink": dv_early / dv_late,
         "slope": math.log(dv_late / dv_early) / math.log(g["later"]), "E_early_J": e_early,
         "E_late_J": e_late, "late_s": late, "delta_V": fndam.PULSE_AMPLITUDE, "tau_s": fndam.PULSE_WIDTH,
         "tunneling_V": element.tunneling_voltage}
    n["V_early"], n["V_late"] = (float(fndam.oxide_voltage(t, element)) for t in (early, late))
    text = f"""\
During the pulse the oxide voltage is V + δ, so for its width τ the gate leaks at the rate f(V + δ)
instead of f(V), with f(V) = |dV/dt| = (k₁/k₂) V² exp(−k₂/V) (docs/science.md section 4):

|ΔV| ≈ τ [f(V + δ) − f(V)].

Late in life f ≈ V²/(k₂ t): every rate, and with it the extra loss a pulse causes, falls as ~1/age.

- At {num(early)} s (V = {num(n['V_early'], 4)} V): |ΔV| = **{num(n['dV_early_mV'])} mV**, a tunneled
  energy C_T |ΔV| V_tun = {num(e_early)} J.
- At {num(late)} s (V = {num(n['V_late'], 4)} V): |ΔV| = **{num(n['dV_late_mV'])} mV**, {num(e_late)} J.

The same pulse moves the element {num(n['shrink'])}× less when the element is {num(g['later'])}× older
(a log-log slope of {num(n['slope'])}, close to −1). That is a learning-rate schedule, η ∝ 1/t, that
comes with the physics: updates anneal by themselves, and old weights are hard to disturb."""
    return Answer(n, text)


PULSE = Exercise(
    key="shrinking-pulse",
    title="The same pulse, a hundred times later",
    question="""\
A programming pulse raises the oxide voltage of an FN-DAM element by {delta_V:~} V for {tau_s:~} s. How
much extra voltage does it remove when the element is {age_s:~} s old? And when it is {late_s:~} s old?
What learning-rate schedule does that give a synapse made of such elements?""",
    given={"age_s": energy.REFERENCE_AGE, "later": 100.0},
    settings=_pulse_settings,
    solve=_pulse_solve,
    hint="Energy at scale view: the parts of one FN-DAM update against age (the tunneled charge is "
         "C_T |ΔV| V_tun); the learning view's update size against time shows the same schedule.",
    controls=(("energy", "log10_start_age"), ("memory", "capacitance_fF")),
)


# --- 6. Time to lose 10 % of a weight (docs/science.md section 4) ------------------------------------

def _retention_settings(g):
    return {"memory": {"voltage_step": g["voltage_step"]}, "session": {"view": "memory"}}


def _retention_solve(session, g):
    memory = session.memory
    element = memory.element()
    v_plus, v_minus = memory.pair()
    _, _, k2 = element.constants()
    ages = {"day": REFERENCE_AGE, "year": c.YEAR}
    n = {"V_plus": v_plus, "V_minus": v_minus, "k2_V": k2, "temperature_K": element.temperature,
         "loss_pct": 100.0 * g["loss"]}
    for name, age in ages.items():
        v = float(fndam.oxide_voltage(age, element))
        w = float(synapse.differential_voltage(age, element, memory.element(v_minus)))
        hold = float(synapse.pair_retention_time(g["loss"], age, element, v_plus - v_minus))
        late = g["loss"] / (1.0 - g["loss"]) * age / (1.0 + 2.0 * v / k2)
        n.update({f"V_{name}": v, f"w_{name}_mV": w * 1e3, f"hold_{name}_s": hold, f"late_{name}_s": late})
    n["hold_ratio"] = n["hold_year_s"] / n["hold_day_s"]
    n["age_ratio"] = c.YEAR / REFERENCE_AGE
    pct = num(n["loss_pct"])
    text = f"""\
With z = exp(k₂/V), each element's clock runs at a constant rate: dz/dt = k₁, so z₋ − z₊ stays
constant and the weight w = V₊ − V₋ ≈ (V²/k₂)(z₋ − z₊)/(k₁t) decays as ~1/t (docs/science.md
section 4). Losing a fraction f from age t takes t f/(1 − f) more (w ∝ 1/t), slightly less because V
falls too: t_f ≈ f/(1 − f) × t / (1 + 2V/k₂), with k₂ = {num(k2, 4)} V at {num(n['temperature_K'])} K.

- From one day: w = {num(n['w_day_mV'])} mV (V ≈ {num(n['V_day'], 3)} V). It loses {pct} % in
  **{num(n['hold_day_s'])} s** ({num(n['hold_day_s'] / c.HOUR)} hours); the late-life estimate gives
  {num(n['late_day_s'])} s.
- From one year: w = {num(n['w_year_mV'])} mV. It loses {pct} % in **{num(n['hold_year_s'])} s**
  ({num(n['hold_year_s'] / c.DAY)} days); estimate {num(n['late_year_s'])} s.

The weight is {num(n['age_ratio'])}× older and keeps its value {num(n['hold_ratio'])}× longer:
retention grows in proportion to age. (In absolute terms w is small by then, down from
{num(v_plus - v_minus)} V at programming: both gates converge onto one trajectory. Retention is
measured against the weight's own size.) An old synapse forgets slowly; this is the consolidation that
comes with the same physics as the shrinking updates."""
    return Answer(n, text)


RETENTION = Exercise(
    key="weight-retention",
    title="Time to lose 10 % of a weight",
    question="""\
A synapse stores its weight as the difference w = V₊ − V₋ of two floating gates, programmed to
{V_plus:~} V and {V_minus:~} V. Both leak by FN tunneling, so the weight decays. How long does w take
to lose {loss_pct:~} % of itself, starting from an age of one day? Starting from an age of one year? What
does that say about a weight's retention as the synapse ages?""",
    given={"voltage_step": MemoryState.param.voltage_step.default, "loss": PAIR_LOSS},
    settings=_retention_settings,
    solve=_retention_solve,
    hint="Memory dynamics view: the retention of one element and of a pair's weight against age; the "
         "pair is V0 and V0 minus the spacing.",
    controls=(("memory", "voltage_step"), ("device", "oxide_voltage")),
)


# --- 7. The precision a capacitor allows (docs/science.md section 3) ---------------------------------

def _precision_settings(g):
    return {"memory": {"capacitance_fF": g["capacitance_fF"]}, "session": {"view": "memory"}}


def _precision_solve(session, g):
    memory = session.memory
    element = memory.element()
    limits = memory.limits()
    _, _, k2 = element.constants()
    v, cap = limits["V"], element.capacitance
    span = 2.0 * synapse.SynapseParameters().adc_range
    sigma_leading = v * math.sqrt(c.Q / (2.0 * k2 * cap))
    step = synapse.STEP_PER_SIGMA * math.sqrt(2.0) * limits["sigma_V"]
    n = {"V": v, "k2_V": k2, "sigma_leading_uV": sigma_leading * 1e6, "sigma_uV": limits["sigma_V"] * 1e6,
         "step_uV": step * 1e6, "bits_noise": math.log2(span / step), "bits": limits["bits"], "span_V": span,
         "C_14_pF": limits["capacitance_for_14_bits_F"] * 1e12,
         "C_14_one_sigma_pF": limits["capacitance_for_14_bits_one_sigma_F"] * 1e12,
         "bits_per_decade": 0.5 * math.log2(10.0), "temperature_K": element.temperature,
         "bits_10x": float(synapse.effective_bits(REFERENCE_AGE, EXACT_READOUT,
                                                  dataclasses.replace(element, capacitance=10 * cap))),
         "preprint_bits": PREPRINT_BITS}
    text = f"""\
Electrons leave one at a time, so V diffuses about V(t); its rms spread settles at
σ_V ≈ V √(q / (2 k₂ C_T)), independent of age (docs/science.md section 3).

1. At one day V = {num(v, 4)} V and k₂ = {num(k2, 4)} V ({num(n['temperature_K'])} K):
   σ_V ≈ {num(v, 4)} × √(q / (2 × {num(k2, 4)} V × {num(cap * 1e15, 4)} fF)) = {num(n['sigma_leading_uV'])} µV
   (the exact variance gives {num(n['sigma_uV'])} µV).
2. The pair's two gates are independent: √2 σ_V. A step is resolved at √12 times the rms noise (the
   ENOB convention): step = √12 × √2 × {num(n['sigma_uV'])} µV = {num(n['step_uV'])} µV.
3. Bits = log₂(span / step) = log₂({num(span)} V / {num(n['step_uV'])} µV) = **{num(n['bits_noise'])} bits**
   (the memory view's resolution with an exact readout: {num(n['bits'])} bits).

σ_V ∝ 1/√C_T, so each factor 10 in C_T buys log₂ √10 = {num(n['bits_per_decade'])} bits at the same
voltage (at the same age a little less: {num(10 * cap * 1e12)} pF reaches {num(n['bits_10x'])} bits,
because the bigger gate discharges more slowly and sits at a higher voltage). The
preprint's {PREPRINT_BITS} bits over 1 V would need C_T ≈ **{num(n['C_14_pF'])} pF** on this criterion
({num(n['C_14_one_sigma_pF'])} pF if one step is one σ): precision is bought with area, and a bigger
gate also slows the clock (k₁ ∝ 1/C_T)."""
    return Answer(n, text)


PRECISION = Exercise(
    key="capacitor-precision",
    title="The precision a capacitor allows",
    question="""\
A synapse's two floating gates each have C_T = {capacitance_fF:~4} fF and sit at about {V:~} V one day
after programming. Electrons leave one at a time, so each gate's voltage carries shot noise. With a
perfect readout, how many bits can the pair's weight resolve over a {span_V:~} V span, if a step is
resolved when it is √12 times the rms noise? What capacitance would the preprint's {preprint_bits} bits
need?""",
    given={"capacitance_fF": 1000.0},
    settings=_precision_settings,
    solve=_precision_solve,
    hint="Memory dynamics view: the resolution a pair reaches against age, with its shot noise, beside the "
         "preprint's 14 bits and the capacitance they would need.",
    controls=(("memory", "capacitance_fF"),),
)


# --- 8. Training energy and the 100x claim (docs/science.md section 5) -------------------------------

class TrainingClaim(param.Parameterized):
    """The model trained and the saving claimed for it: what a student edits in exercise 8."""

    log10_params = param.Number(EnergyState.param.log10_params.default,
                                bounds=EnergyState.param.log10_params.bounds, step=0.1,
                                label=EnergyState.param.log10_params.label,
                                doc=EnergyState.param.log10_params.doc)
    log10_samples = param.Number(EnergyState.param.log10_samples.default,
                                 bounds=EnergyState.param.log10_samples.bounds, step=0.1,
                                 label=EnergyState.param.log10_samples.label,
                                 doc=EnergyState.param.log10_samples.doc)
    log10_batch = param.Number(EnergyState.param.log10_batch.default,
                               bounds=EnergyState.param.log10_batch.bounds, step=0.05,
                               label=EnergyState.param.log10_batch.label,
                               doc=EnergyState.param.log10_batch.doc)
    claim = param.Number(energy.PRESS_TRAINING_SAVING.value, bounds=(1.1, 1000.0), step=1.0,
                         label="Claimed saving (×)",
                         doc="The saving to test: 100× is the press's projection for FN-DAM (The Register, "
                             "2022), whose derivation is not public. Change it to test your own.")


def _given_defaults(cls):
    return {name: p.default for name, p in cls.param.objects().items() if name != "name"}


def _training_settings(g):
    # Hold power off: the two sides then differ only in the update memory, as the claim is about.
    return {"energy": {"log10_params": g["log10_params"], "log10_samples": g["log10_samples"],
                       "log10_batch": g["log10_batch"], "hold_pW_per_bit": 0.0},
            "session": {"view": "energy"}}


def _training_solve(session, g):
    state = session.energy
    e_flop = energy.E_FLOP[state.e_flop]
    e_conv, _ = state.conventional_update()
    e_fn = state.fndam_update()
    n_params, samples, batch = 10.0 ** g["log10_params"], 10.0 ** g["log10_samples"], state.batch_size()
    conv = energy.training_energy(n_params, samples, batch, e_flop=e_flop, update_energy=e_conv)
    fn = energy.training_energy(n_params, samples, batch, e_flop=e_flop, update_energy=e_fn)
    compute = 6.0 * batch * e_flop  # compute per parameter update [J]
    claim = g["claim"]
    baselines = {name: state.conventional_update(name)[0] for name in energy.BASELINES}
    n = {"N": n_params, "D": samples, "B": batch, "e_flop_J": e_flop, "e_conv_J": e_conv, "e_fn_J": e_fn,
         "compute_J": float(conv.compute), "conv_updates_J": float(conv.updates),
         "fn_updates_J": float(fn.updates), "conv_total_J": float(conv.total), "fn_total_J": float(fn.total),
         "compute_per_update_J": compute,
         "saving": float(energy.saving_ratio(n_params, samples, batch, e_flop=e_flop,
                                             conventional_update=e_conv, fndam_update=e_fn)),
         "claim": claim, "largest_B": float(energy.largest_batch_for_saving(claim, e_conv, e_fn, e_flop)),
         "conv_needed_J": claim * (compute + e_fn) - compute,
         "fn_needed_J": (compute + e_conv) / claim - compute, "ceiling": 1.0 + e_conv / compute,
         "baselines": baselines}
    return Answer(n, _training_text(state, n))


def _kwh(joules):
    return f"{num(joules)} J ({num(joules / (1e3 * c.HOUR))} kWh)"


def _update_costs(state, n):
    """One sentence: what a conventional and an FN-DAM update cost, and what each price includes."""
    baseline = energy.BASELINES[state.baseline]
    source = state.fndam_source.split(":")[0].lower()
    if not state.count_reads:
        return (f"Reads are not charged: an update through {state.baseline} costs "
                f"e_conv = {num(n['e_conv_J'])} J and an FN-DAM update "
                f"e_fn = {num(n['e_fn_J'])} J ({source}).")
    read = state.readout()
    return (f"An update through {state.baseline} moves {UPDATE_TRAFFIC[state.update_traffic]} bits and "
            f"reads a {baseline.read_bits}-bit weight at {num(baseline.energy_per_bit)} J/bit: e_conv = "
            f"{num(n['e_conv_J'])} J. An FN-DAM update writes for {num(n['e_fn_J'] - read)} J ({source}) "
            f"and reads with one {state.adc_bits}-bit ADC conversion, {num(read)} J: "
            f"e_fn = {num(n['e_fn_J'])} J.")


def _claim_status(n):
    """Whether the saving reaches the claim at the model's batch size, and what the claim would need."""
    claim, batch = num(n["claim"]), num(n["B"])
    if n["saving"] >= n["claim"]:
        return f"At B = {batch} the saving reaches the claimed {claim}×. Its limits:"
    return f"At B = {batch} the saving falls short of the claimed {claim}×. What would it need?"


def _training_text(state, n):
    claim = num(n["claim"])
    if n["largest_B"] > 0:
        batch_line = (f"The {claim}× holds up to **B = {num(n['largest_B'])}**: "
                      f"B ≤ (e_conv − {claim} e_fn) / (6 e_flop ({claim} − 1)).")
    else:
        batch_line = f"The {claim}× is **not reached at any batch size**, not even B = 1."
    reaching = [name for name, e in n["baselines"].items() if e >= n["conv_needed_J"]]
    baseline_line = (f"**e_conv ≥ {num(n['conv_needed_J'])} J** per update. The baselines cost "
                     + ", ".join(f"{name} {num(e)} J" for name, e in n["baselines"].items())
                     + f": {'only ' + ', '.join(reaching) + ' reaches' if reaching else 'none reaches'} it.")
    if n["fn_needed_J"] > 0:
        fn_line = f"**e_fn ≤ {num(n['fn_needed_J'])} J** per update (it is {num(n['e_fn_J'])} J now)."
    else:
        fn_line = (f"**no FN-DAM update energy can do it**: even a free update saves at most "
                   f"1 + e_conv / (6 B e_flop) = {num(n['ceiling'])}×, because compute dominates.")
    return f"""\
Training energy = compute + updates (+ hold, left out here so that only the update memory differs;
docs/science.md section 5): compute = 6 N D e_flop, updates = N (D/B) e_write.

Here N = {num(n['N'])}, D = {num(n['D'])}, B = {num(n['B'])} and e_flop = {num(n['e_flop_J'])} J
({state.e_flop}). {_update_costs(state, n)}

1. Compute: 6 N D e_flop = {_kwh(n['compute_J'])}, the same on both sides.
2. Updates: N (D/B) e_conv = {_kwh(n['conv_updates_J'])}; with FN-DAM {_kwh(n['fn_updates_J'])}.
3. Totals: {_kwh(n['conv_total_J'])} against {_kwh(n['fn_total_J'])}: a saving of
   (6 B e_flop + e_conv) / (6 B e_flop + e_fn) = **{num(n['saving'])}×**. N and D cancel: per parameter
   update, the compute 6 B e_flop = {num(n['compute_per_update_J'])} J is shared.

{_claim_status(n)}

- **A smaller batch.** {batch_line}
- **A costlier baseline** at B = {num(n['B'])}: {baseline_line}
- **A cheaper FN-DAM update** at B = {num(n['B'])}: {fn_line}

The press's 100× is a projection whose derivation is not public. Swapping the update memory alone
reaches it only where updates rival compute (online learning against off-chip DRAM); at datacentre
batch sizes it would need learning in memory, where compute moves into the array too."""


TRAINING = Exercise(
    key="training-energy",
    title="The energy of training a model, and the 100× claim",
    question="""\
Take a model of N = {N:~} parameters trained on D = {D:~} samples in batches of B = {B:~}. How
much energy does training take when every parameter update goes through off-chip DRAM, and how much
when it goes through FN-DAM synapses? What saving is that? What batch size, conventional baseline or
FN-DAM update energy would the claimed {claim:~}× saving need? Change the model and the claim to test
your own.""",
    given=_given_defaults(TrainingClaim),
    settings=_training_settings,
    solve=_training_solve,
    hint="Energy at scale view: the training energy against N split into compute, updates and hold, and the "
         "saving against batch size for each baseline, with where it reaches the press's 100×.",
    controls=(("energy", "log10_params"), ("energy", "log10_samples"), ("energy", "log10_batch"),
              ("energy", "baseline"), ("energy", "count_reads"), ("energy", "fndam_source")),
    inputs=TrainingClaim,
)

#: The exercises in teaching order (the tour's: tunneling, FN plot, clock, pulses, synapse, energy).
EXERCISES = {ex.key: ex for ex in (THINNER, SLOPE, ELECTRONS, GROWING, PULSE, RETENTION, PRECISION, TRAINING)}


def document():
    """docs/exercises.md: every exercise with its question, where to look, and the worked answer."""
    parts = [
        "# Exercises with worked answers\n",
        "Generated by `python -m dashboard.state.exercises > docs/exercises.md` from "
        "`dashboard/state/exercises.py`, which the app's exercises tab reads too; do not edit by hand "
        "(`tests/test_exercises.py` checks that this file is what the data gives). Every number is "
        "computed by `physics/` at the settings the app's *Try it in the app* button applies (sessions "
        "at 300 K; other values at the app's defaults, which are illustrative: docs/science.md "
        "section 6). Predict before you open an answer.\n",
    ]
    for i, exercise in enumerate(EXERCISES.values(), 1):
        worked = exercise.work()
        parts += [
            f"## {i}. {exercise.title}\n",
            worked.question.replace("\n", " ") + "\n",
            f"**In the app.** {exercise.hint_text()} *Try it in the app* "
            f"{describe_settings(exercise.settings_for())}.\n",
            "<details><summary>Worked answer</summary>\n",
            worked.answer.markdown + "\n",
            "</details>\n",
        ]
    return "\n".join(parts)


if __name__ == "__main__":
    print(document(), end="")
