"""View 3: memory dynamics of one FN-DAM element, V(t) on log time from 1 s to 10 years, and two honest
limits: the resolution a pair reaches against its shot noise, and the retention of a pair's weight."""

import math

import numpy as np
import param

from dashboard.state.memory import (
    MARKS,
    OFFSET_LABELS,
    PAIR_LOSS,
    PREPRINT_BITS,
    PREPRINT_LABEL,
    T_START,
    T_STOP,
)
from dashboard.state.text import duration, number
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import INK, Layer, Plot, line

T_WINDOW = (T_START, T_STOP)
#: One style per compared initial voltage, the same in V(t) and the electron rate (V0 drawn thickest);
#: "dashed" is left to the limit lines (the FN end, the leakage floor), which the summary calls dashed.
TRAJECTORY_STYLES = {
    OFFSET_LABELS[-2]: (INK["green"], "dotted", 2.0),
    OFFSET_LABELS[-1]: (INK["purple"], "dotdash", 2.0),
    OFFSET_LABELS[0]: (INK["blue"], "solid", 3.0),
    OFFSET_LABELS[1]: (INK["black"], "dashdot", 2.0),
}
#: Thin dotted reference lines at 1 day, 1 year and 10 years (unlabelled: the x label names them).
MARK_LINES = Layer("vspan", "", {"line_color": INK["grey"], "line_dash": "dotted", "line_width": 1})
FN_END = "q V = phi: the FN closed form ends"


def _with_trajectories(**limits):
    """The layers of a plot of the compared trajectories: one line per initial voltage, then
    ``limits`` (key -> layer), then the marks."""
    return {**{label: line(label, color, dash, width) for label, (color, dash, width)
               in TRAJECTORY_STYLES.items()}, **limits, "marks": MARK_LINES}


VOLTAGE_LAYERS = _with_trajectories(fn_end=line(FN_END, INK["vermillion"], "dashed"))
RATE_LAYERS = _with_trajectories(leak=line("leakage floor", INK["vermillion"], "dashed"))
RETENTION_LAYERS = {
    "element": line("time to lose the criterion", INK["blue"], width=2.5),  # relabelled when drawn
    "pair": line(f"pair V0, V0 - dV: weight loses {PAIR_LOSS:.0%}", INK["purple"], "dotdash", 2.5),
    "equal": line("equal to age", INK["grey"], "dashed", 1.5),
}
RESOLUTION_LAYERS = {
    "shot": line("with shot noise (exact readout)", INK["blue"], width=2.5),
    "fluid": line("without shot noise (fluid closed form)", INK["black"], "dashed", 1.5),
    "preprint": line(PREPRINT_LABEL, INK["vermillion"], "dotdash"),
    "marks": MARK_LINES,
}


def _marks():
    """The marks' data: their ages [s]."""
    return (list(MARKS.values()),)


class MemoryView(StateView):
    """V(t) for several initial voltages, the tunneling current and electron rate, retention of one
    element and of a pair's weight, and the resolution a pair reaches against its shot noise."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        plots = {
            self.voltage: Plot(
                VOLTAGE_LAYERS, "Oxide voltage V(t) = k2 / ln(k1 t + k0): initial voltages converge",
                "Time since programming (s; dotted: 1 day, 1 year, 10 years)", "Oxide voltage V (V)",
                x_log=True, x_range=T_WINDOW, legend_columns=2, describe=self.say_voltage),
            self.electron_rate: Plot(
                RATE_LAYERS, "Tunneling current as electrons per second (1 fA = 6,242 e/s): falls ~1/t",
                "Time since programming (s)", "Electrons leaving the gate per second (1/s)",
                x_log=True, y_log=True, x_range=T_WINDOW, legend_columns=2, describe=self.say_electron_rate),
            self.retention: Plot(
                RETENTION_LAYERS, "Retention grows with age: the barrier widens as charge leaves",
                "Element age when the clock starts (s)", self._retention_label(), x_log=True, y_log=True,
                legend_columns=2, describe=self.say_retention),
            self.resolution: Plot(
                RESOLUTION_LAYERS, self._resolution_title(), "Element age (s)",
                "Effective bits (step = √12 σ of the pair)", x_log=True, x_range=T_WINDOW,
                legend_columns=2, describe=self.say_resolution),
        }
        for method, plot in plots.items():
            self.feed(plot, method)
        self.layout([plot.pane for plot in plots.values()],
                    [("memory_trajectories.csv", self.trajectories_csv, "Download V(t), I(t) data (CSV)"),
                     ("retention.csv", self.retention_csv, "Download retention data (CSV)"),
                     ("pair_retention.csv", self.pair_retention_csv, "Download pair retention (CSV)"),
                     ("resolution.csv", self.resolution_csv, "Download resolution data (CSV)")])

    @param.depends("state.param", "state.device.param")
    def voltage(self):
        """Each initial voltage's V(t), and a vertical line at the age where V0's reaches phi/q (no data
        when that age is outside the window), spanning V0's voltages."""
        trajectories = self.state.trajectories()  # once per frame: the curves and the line share it
        v = trajectories[OFFSET_LABELS[0]]["V"]
        t_end = self.state.fn_until()
        fn_end = ([t_end, t_end], [v.min(), v.max()]) if T_START <= t_end <= T_STOP else ([], [])
        return {"layers": {**_trajectory_data(trajectories, "V"), "fn_end": fn_end, "marks": _marks()}}

    @param.depends("state.param", "state.device.param")
    def electron_rate(self):
        """Each initial voltage's electrons per second, and the leakage floor if there is one."""
        floor = self.state.leakage_electrons_per_s
        leak = (T_WINDOW, (floor, floor)) if floor > 0 else ([], [])
        return {"layers": {**_trajectory_data(self.state.trajectories(), "electrons_per_s"), "leak": leak,
                           "marks": _marks()}}

    @param.depends("state.param", "state.device.param")
    def retention(self):
        """Retention against age of one element and of the pair's weight, beside retention = age."""
        data, pair = self.state.retention(), self.state.pair_retention()
        return {"layers": {"element": (data["age_s"], data["retention_s"]),
                           "pair": (pair["age_s"], pair["retention_s"]),
                           "equal": (data["age_s"], data["age_s"])},
                "labels": {"element": f"time to lose {self.state.retention_loss_mV:g} mV"},
                "y_label": self._retention_label()}

    def _retention_label(self):
        """The retention plot's y label, which names the criterion."""
        return f"Time to lose {self.state.retention_loss_mV:g} mV (element) or {PAIR_LOSS:.0%} (pair) (s)"

    @param.depends("state.param", "state.device.param")
    def resolution(self):
        """Effective bits of the pair against age, with and without shot noise, beside the preprint's."""
        data = self.state.resolution()
        return {"layers": {"shot": (data["age_s"], data["bits"]),
                           "fluid": (data["age_s"], data["fluid_bits"]),
                           "preprint": (T_WINDOW, (PREPRINT_BITS, PREPRINT_BITS)), "marks": _marks()},
                "title": self._resolution_title()}

    def _resolution_title(self):
        """The resolution plot's title, which names the capacitance."""
        return (f"Resolution of a pair of {self.state.capacitance_fF:g} fF elements over 1 V: "
                "shot noise sets a floor")

    def say_voltage(self, data):
        """The V(t) plot in one sentence: where the compared starts end up."""
        starts = ", ".join(number(v) for v in self.state.initial_voltages().values())
        ends = [data[label]["y"][-1] for label in TRAJECTORY_STYLES]
        own = data[OFFSET_LABELS[0]]
        return (f"Started at {starts} V, the oxide voltages lie within {number(max(ends) - min(ends))} V of "
                f"each other after {duration(own['x'][-1])}: they converge (V0 has fallen to "
                f"{number(own['y'][-1])} V).")

    def say_electron_rate(self, data):
        """The electron-rate plot in one sentence: V0's rate at the ends of the window, and the floor."""
        own = data[OFFSET_LABELS[0]]
        floor = (f"; the leakage floor is {number(data['leak']['y'][0])} per second"
                 if len(data["leak"]["y"]) else "")
        return (f"At V0, {number(own['y'][0])} electrons leave the gate per second after "
                f"{duration(own['x'][0])} and {number(own['y'][-1])} after {duration(own['x'][-1])}{floor}.")

    def say_retention(self, data):
        """The retention plot in one sentence: retention at the youngest and oldest ages drawn."""
        element, pair = data["element"], data["pair"]
        if not len(element["x"]):
            return f"The element never loses {self.state.retention_loss_mV:g} mV: no retention to draw."
        text = f"Time to lose {self.state.retention_loss_mV:g} mV: {_first_and_last(element)}"
        if len(pair["x"]):
            text += f"; time for the pair's weight to lose {PAIR_LOSS:.0%}: {_first_and_last(pair)}"
        return text + "."

    def say_resolution(self, data):
        """The resolution plot in one sentence: the most bits reached with shot noise, and where."""
        age, bits = np.asarray(data["shot"]["x"]), np.asarray(data["shot"]["y"], dtype=float)
        if not np.isfinite(bits).any():
            return "The pair does not move at these settings: no resolution to draw."
        best = int(np.nanargmax(bits))
        return (f"With shot noise the pair resolves at most {number(bits[best])} bits, at age "
                f"{duration(age[best])}; without it {number(data['fluid']['y'][-1])} bits at "
                f"{duration(age[-1])}; the preprint states {PREPRINT_BITS}.")

    @param.depends("state.param", "state.device.param")
    def summary(self):
        s = self.state.summary()
        marks = ", ".join(f"{label} {v:.3f} V" for label, v in s["V_at"].items())
        starts = ", ".join(f"{v:.2f}" for v in self.state.initial_voltages().values())
        phi = self.state.device.barrier_height_eV
        if not s["is_fowler_nordheim"]:
            regime = ("  \n⚠ q V0 < phi: the closed form assumes a triangular (FN) barrier; "
                      "here it extrapolates.")
        elif s["fn_until_s"] <= T_STOP:
            marked = " (dashed line)" if s["fn_until_s"] >= T_START else ""
            regime = (f"  \n⚠ V reaches phi/q = {phi:.2f} V at {s['fn_until_s']:.3g} s{marked}: "
                      "after that the barrier is trapezoidal (direct tunneling), the real current is "
                      "larger and the closed form overstates retention.")
        else:
            regime = ""
        warning = self.state.device.field_warning()
        if warning:
            regime += "  \n" + warning
        if s["leakage_from_s"] <= T_STOP:
            regime += (f"  \n⚠ From {s['leakage_from_s']:.3g} s the leakage floor "
                       f"({self.state.leakage_e_per_hour:g} e/h) outruns tunneling: retention stops growing "
                       "(the curves show tunneling alone).")
        return (f"**V(t) = k2 / ln(k1 t + k0)** with  \n"
                f"k2 = B d = {s['k2_V']:.1f} V, k1 = S A B / (C_T d) = {s['k1_per_s']:.3g} 1/s, "
                f"ln k0 = k2 / V0 = {s['ln_k0']:.2f}  \n"
                f"**V0** {s['V0']:.2f} V → {marks}{regime}  \n"
                f"**Compared starts** {starts} V  \n"
                f"{self._limits_text()}  \n"
                "*Area and capacitance are illustrative assumptions, not the paper's values.*")

    def _limits_text(self):
        """Shot noise, resolution, the capacitance for the preprint's 14 bits and the pair's retention,
        all at 1 day (docs/science.md sections 3 and 4)."""
        s = self.state.limits()
        if math.isfinite(s["pair_retention_s"]):
            pair = (f"**Pair weight** (V0, V0 − dV) loses {PAIR_LOSS:.0%} in {s['pair_retention_s']:.3g} s "
                    "at 1 day")
        else:
            pair = "**Pair weight**: no pair (V0 − dV clipped to V0)"
        return (f"**Shot noise** at 1 day (V = {s['V']:.2f} V): σ_V = {s['sigma_V'] * 1e6:.0f} µV per "
                f"element, √2 more for a pair → {s['bits']:.1f} bits over 1 V with an exact readout  \n"
                f"**{PREPRINT_BITS} bits** (preprint) at 1 day would need C_T ≈ "
                f"{s['capacitance_for_14_bits_F'] * 1e12:.3g} pF (step = √12 σ; "
                f"{s['capacitance_for_14_bits_one_sigma_F'] * 1e12:.3g} pF at step = σ)  \n"
                f"{pair}")

    def trajectories_csv(self):
        columns = {}
        for data in self.state.trajectories().values():
            start = data["V0"]
            columns.setdefault("t_s", data["t_s"])
            columns[f"V_V0={start:g}V"] = data["V"]
            columns[f"I_A_V0={start:g}V"] = data["I_A"]
            columns[f"electrons_per_s_V0={start:g}V"] = data["electrons_per_s"]
        return to_csv(columns, {"view": "FN-DAM memory dynamics", **self._notes()})

    def retention_csv(self):
        data = self.state.retention()
        return to_csv({"age_s": data["age_s"], "retention_s": data["retention_s"]},
                      {"voltage_loss_mV": self.state.retention_loss_mV, **self._notes()})

    def pair_retention_csv(self):
        data = self.state.pair_retention()
        v_plus, v_minus = self.state.pair()
        return to_csv({"age_s": data["age_s"], "pair_retention_s": data["retention_s"]},
                      {"pair_V0_V": v_plus, "pair_V0_minus_dV_V": v_minus, "weight_loss_fraction": PAIR_LOSS,
                       **self._notes()})

    def resolution_csv(self):
        data = self.state.resolution()
        return to_csv({"age_s": data["age_s"], "bits_shot_noise": data["bits"],
                       "bits_without_shot_noise": data["fluid_bits"]},
                      {"readout": "exact (no readout noise, no ADC)", "span_V": 1.0,
                       "criterion": "step = sqrt(12) x rms noise of the pair",
                       "preprint_bits": PREPRINT_BITS, **self._notes()})

    def _notes(self):
        dev, st = self.state.device, self.state
        return {"oxide_thickness_nm": dev.oxide_thickness_nm, "barrier_height_eV": dev.barrier_height_eV,
                "mass_ratio": dev.mass_ratio, "junction_area_um2": st.junction_area_um2,
                "capacitance_fF": st.capacitance_fF}


def _first_and_last(layer):
    """'1 hour at age 1 second, 3 years at age 10 years': a retention curve's first and last points."""
    return ", ".join(f"{duration(layer['y'][i])} at age {duration(layer['x'][i])}" for i in (0, -1))


def _trajectory_data(trajectories, key):
    """Label -> (time [s], ``key``) of each compared trajectory."""
    return {label: (data["t_s"], data[key]) for label, data in trajectories.items()}
