"""View 2: tunneling current against field (log), the FN plot with its fitted slope, FN vs WKB vs exact."""

import holoviews as hv
import numpy as np
import param

from dashboard.state.current import FIELD_WINDOW_MV_CM, J_FLOOR_A_CM2, METHODS
from dashboard.state.device import BREAKDOWN_FIELD_MV_CM
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import PLOT_OPTS, plot_pane

COLORS = {"fn": "#1f5fa8", "wkb": "#c0392b", "exact": "#2e8b57"}
E_DIM = hv.Dimension("E", label="Oxide field E", unit="MV/cm")
J_DIM = hv.Dimension("J", label="Current density J", unit="A/cm²")


class CurrentView(StateView):
    """J-E on a log axis with direct and FN regimes, and the FN plot ln(J/E²) against 1/E."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        self.layout([plot_pane(self.current_vs_field), plot_pane(self.fn_diagram)],
                    [("current_vs_field.csv", self.je_csv, "Download J-E data (CSV)"),
                     ("fn_plot.csv", self.fn_csv, "Download FN-plot data (CSV)")])

    @param.depends("state.param", "state.device.param")
    def current_vs_field(self):
        """J against E for every method (empty curves for hidden ones, so the layers never change)."""
        state = self.state
        curves = state.curves()
        layers = []
        for method, label in METHODS.items():
            e, j = curves.get(method, ([], []))
            keep = np.asarray(j) > J_FLOOR_A_CM2
            layers.append(hv.Curve((np.asarray(e)[keep], np.asarray(j)[keep]), E_DIM, J_DIM, label=label)
                          .opts(color=COLORS[method], line_width=2,
                                line_dash="solid" if method == "fn" else "dashed"))
        lo, hi = FIELD_WINDOW_MV_CM
        onset = min(max(state.fn_regime_onset_MV_cm(), lo), hi)
        op = state.operating_point()
        shown = [(op["E_MV_cm"], op["J_A_cm2"])] if op["J_A_cm2"] > J_FLOOR_A_CM2 else []
        overlay = (hv.VSpan(lo, onset).opts(color="#f3e5ab", alpha=0.45)
                   * hv.VSpan(BREAKDOWN_FIELD_MV_CM, hi).opts(color="#f5b7b1", alpha=0.35))
        for layer in layers:
            overlay = overlay * layer
        return (overlay
                * hv.Points(shown, [E_DIM, J_DIM], label="Operating point (WKB)").opts(color="black", size=11)
                * hv.Text(lo + 0.2, J_FLOOR_A_CM2 * 1e3, "direct tunneling" if onset > lo else "").opts(
                    text_align="left", text_font_size="9pt", text_color="#8a6d00")
                * hv.Text(BREAKDOWN_FIELD_MV_CM + 0.2, J_FLOOR_A_CM2 * 1e3, "near breakdown").opts(
                    text_align="left", text_font_size="9pt", text_color="#a93226")
                ).opts(hv.opts.Overlay(**PLOT_OPTS, logy=True, legend_position="top_left",
                                       title="J against oxide field (yellow: direct regime; red: near "
                                             "breakdown)",
                                       xlim=FIELD_WINDOW_MV_CM, ylim=(J_FLOOR_A_CM2, None),
                                       xlabel="Oxide field E (MV/cm)", ylabel="Current density J (A/cm²)"))

    @param.depends("state.param", "state.device.param")
    def fn_diagram(self):
        """FN plot of the most accurate drawn curve, its fitted line and the operating point's 1/E."""
        fn = self.state.fn_plot()
        x_dim = hv.Dimension("inv_E", label="1/E", unit="nm/V")
        y_dim = hv.Dimension("lnJE2", label="ln(J/E²), J in A/m², E in V/m")
        op_inv = 1e9 / self.state.device.field  # 1/E [nm/V]: no current needed for this line
        return (
            # A fixed label keeps the layer (and its data source) the same when the method changes.
            hv.Scatter((fn["inv_E_nm_per_V"], fn["ln_J_over_E2"]), x_dim, y_dim,
                       label="Computed J, FN-regime points").opts(color=COLORS[fn["method"]], size=5)
            * hv.Curve((fn["inv_E_nm_per_V"], fn["fit"]), x_dim, y_dim, label="Straight-line fit").opts(
                color="black", line_dash="dashed")
            * hv.VLine(op_inv).opts(color="#555555", line_width=1)
        ).opts(hv.opts.Overlay(**PLOT_OPTS, legend_position="top_right",
                               title="Fowler-Nordheim plot (vertical line: operating point)",
                               xlabel="1/E (nm/V)", ylabel="ln(J/E²), J in A/m², E in V/m"))

    @param.depends("state.param", "state.device.param")
    def summary(self):
        """The fitted slope against the formula's -B, and the operating point."""
        state = self.state
        op, fn = state.operating_point(), state.fn_plot()
        slope = fn["slope_V_per_nm"]
        fitted = "no FN-regime points in the window" if slope is None else f"{slope:.2f} V/nm"
        lines = [f"**Operating point** {op['E_MV_cm']:.2f} MV/cm, J = {op['J_A_cm2']:.3g} A/cm² (WKB)",
                 f"**FN regime from** {state.fn_regime_onset_MV_cm():.2f} MV/cm (q V_ox = phi)",
                 f"**Fitted slope** ({METHODS[fn['method']]}) {fitted}",
                 f"**Formula slope −B** {state.formula_slope_V_per_nm():.2f} V/nm",
                 state.device.field_warning()]
        return "  \n".join(line for line in lines if line)

    def je_csv(self):
        """Every drawn J-E curve in long format (method, field, current density)."""
        rows = [(m, e_i, j_i) for m, (e, j) in self.state.curves().items()
                for e_i, j_i in zip(e, j, strict=True)]
        columns = dict(zip(["method", "E_MV_cm", "J_A_cm2"], zip(*rows, strict=True), strict=True))
        return to_csv(columns, {"operating_point": self.state.operating_point()})

    def fn_csv(self):
        """The FN-plot points and fit."""
        fn = self.state.fn_plot()
        columns = {k: fn[k] for k in ("inv_E_nm_per_V", "ln_J_over_E2", "fit")}
        return to_csv(columns, {"method": fn["method"], "fitted_slope_V_per_nm": fn["slope_V_per_nm"]})
