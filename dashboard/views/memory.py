"""View 3: memory dynamics of one FN-DAM element, V(t) on log time from 1 s to 10 years, and two honest
limits: the resolution a pair reaches against its shot noise, and the retention of a pair's weight."""

import math

import holoviews as hv
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
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import PLOT_OPTS, plot_pane

PALETTE = ("#7f8c8d", "#16a085", "#1f5fa8", "#8e44ad")
T_DIM = hv.Dimension("t", label="Time since programming", unit="s")


def _marks():
    """Dotted vertical lines at 1 day, 1 year and 10 years (one element: fewer glyphs to redraw)."""
    return hv.VLines(list(MARKS.values())).opts(color="#bbbbbb", line_dash="dotted", line_width=1)


class MemoryView(StateView):
    """V(t) for several initial voltages, the tunneling current and electron rate, retention of one
    element and of a pair's weight, and the resolution a pair reaches against its shot noise."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        self.layout([plot_pane(self.voltage), plot_pane(self.electron_rate), plot_pane(self.retention),
                     plot_pane(self.resolution)],
                    [("memory_trajectories.csv", self.trajectories_csv, "Download V(t), I(t) data (CSV)"),
                     ("retention.csv", self.retention_csv, "Download retention data (CSV)"),
                     ("pair_retention.csv", self.pair_retention_csv, "Download pair retention (CSV)"),
                     ("resolution.csv", self.resolution_csv, "Download resolution data (CSV)")])

    def _curves(self, trajectories, key, v_dim):
        """One curve of ``key`` against time per initial voltage (V0 drawn thickest)."""
        curves = []
        for color, (label, data) in zip(PALETTE, trajectories.items(), strict=True):
            # Fixed labels keep the legend, so a new V0 only updates the data (no redraw of glyphs).
            curves.append(hv.Curve((data["t_s"], data[key]), T_DIM, v_dim, label=label).opts(
                color=color, line_width=3 if label == OFFSET_LABELS[0] else 1.5))
        return hv.Overlay(curves)

    def _fn_end(self, v, v_dim):
        """A vertical line at the age where V(t) reaches phi/q, spanning the voltages ``v`` of V0's
        trajectory (no data when that age is outside the window)."""
        t_end = self.state.fn_until()
        inside = T_START <= t_end <= T_STOP
        return hv.Curve(([t_end, t_end], [v.min(), v.max()]) if inside else ([], []), T_DIM, v_dim,
                        label="q V = phi: the FN closed form ends").opts(color="#c0392b", line_dash="dashed")

    @param.depends("state.param", "state.device.param")
    def voltage(self):
        v_dim = hv.Dimension("V", label="Oxide voltage", unit="V")
        trajectories = self.state.trajectories()  # once per frame: the curves and the marker share it
        v = trajectories[OFFSET_LABELS[0]]["V"]
        layers = self._curves(trajectories, "V", v_dim) * self._fn_end(v, v_dim) * _marks()
        return layers.opts(hv.opts.Overlay(
            **PLOT_OPTS, logx=True, xlim=(T_START, T_STOP), legend_position="top_right",
            title="Oxide voltage V(t) = k2 / ln(k1 t + k0): initial voltages converge",
            xlabel="Time since programming (s; dotted: 1 day, 1 year, 10 years)",
            ylabel="Oxide voltage V (V)"))

    @param.depends("state.param", "state.device.param")
    def electron_rate(self):
        rate_dim = hv.Dimension("rate", label="Electrons per second", unit="1/s")
        floor = self.state.leakage_electrons_per_s
        leak = hv.Curve(([T_START, T_STOP], [floor, floor]) if floor > 0 else ([], []), T_DIM, rate_dim,
                        label="leakage floor").opts(color="#c0392b", line_dash="dashed")
        layers = self._curves(self.state.trajectories(), "electrons_per_s", rate_dim) * leak * _marks()
        return layers.opts(hv.opts.Overlay(
            **PLOT_OPTS, logx=True, logy=True, xlim=(T_START, T_STOP), legend_position="top_right",
            title="Tunneling current as electrons per second (1 fA = 6,242 e/s): falls ~1/t",
            xlabel="Time since programming (s)", ylabel="Electrons leaving the gate per second (1/s)"))

    @param.depends("state.param", "state.device.param")
    def retention(self):
        data, pair = self.state.retention(), self.state.pair_retention()
        loss = self.state.retention_loss_mV
        age_dim = hv.Dimension("age", label="Age at the start", unit="s")
        hold_dim = hv.Dimension("hold", label="Time to lose the criterion", unit="s")
        return (hv.Curve((data["age_s"], data["retention_s"]), age_dim, hold_dim,
                         label=f"time to lose {loss:g} mV").opts(color="#1f5fa8", line_width=2.5)
                * hv.Curve((pair["age_s"], pair["retention_s"]), age_dim, hold_dim,
                           label=f"pair V0, V0 - dV: weight loses {PAIR_LOSS:.0%}").opts(
                    color="#8e44ad", line_width=2.5)
                * hv.Curve((data["age_s"], data["age_s"]), age_dim, hold_dim, label="equal to age").opts(
                    color="#999999", line_dash="dashed")
                ).opts(hv.opts.Overlay(**PLOT_OPTS, logx=True, logy=True, legend_position="top_left",
                                       title="Retention grows with age: the barrier widens as charge leaves",
                                       xlabel="Element age when the clock starts (s)",
                                       ylabel=f"Time to lose {loss:g} mV (element) or "
                                              f"{PAIR_LOSS:.0%} (pair) (s)"))

    @param.depends("state.param", "state.device.param")
    def resolution(self):
        data = self.state.resolution()
        age_dim = hv.Dimension("age", label="Age", unit="s")
        bits_dim = hv.Dimension("bits", label="Effective bits", unit="bits")
        c_ff = self.state.capacitance_fF
        return (hv.Curve((data["age_s"], data["bits"]), age_dim, bits_dim,
                         label="with shot noise (exact readout)").opts(color="#1f5fa8", line_width=2.5)
                * hv.Curve((data["age_s"], data["fluid_bits"]), age_dim, bits_dim,
                           label="without shot noise (fluid closed form)").opts(
                    color="#999999", line_dash="dashed")
                * hv.Curve(([T_START, T_STOP], [PREPRINT_BITS, PREPRINT_BITS]), age_dim, bits_dim,
                           label=PREPRINT_LABEL).opts(color="#c0392b", line_dash="dotdash", line_width=2)
                * _marks()
                ).opts(hv.opts.Overlay(**PLOT_OPTS, logx=True, xlim=(T_START, T_STOP),
                                       legend_position="top_left",
                                       title=f"Resolution of a pair of {c_ff:g} fF elements over 1 V: "
                                             "shot noise sets a floor",
                                       xlabel="Element age (s)",
                                       ylabel="Effective bits (step = √12 σ of the pair)"))

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
