"""View 2: tunneling current against field (log), the FN plot with its fitted slope, FN vs WKB vs exact."""

import numpy as np
import param

from dashboard.state.current import FIELD_WINDOW_MV_CM, J_FLOOR_A_CM2, METHODS
from dashboard.state.device import BREAKDOWN_FIELD_MV_CM
from dashboard.state.text import number
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import FILL, INK, Layer, Plot, line, markers

#: Method -> (colour, dash) of its J-E curve and FN-plot points (FN solid: the closed form).
STYLE = {"fn": (INK["blue"], "solid"), "wkb": (INK["vermillion"], "dashed"),
         "exact": (INK["green"], "dotted")}
#: Method -> marker of its points on the FN plot.
MARKER = {"fn": "circle", "wkb": "square", "exact": "triangle"}
REGION_TEXT = {"text_font_size": "9pt", "text_align": "left", "text_color": "#444444"}
JE_LAYERS = {
    "direct": Layer("vstrip", "", {"fill_color": FILL["yellow"], "fill_alpha": 0.3, "line_alpha": 0}),
    "breakdown": Layer("vstrip", "", {"fill_color": FILL["vermillion"], "fill_alpha": 0.2, "line_alpha": 0}),
    **{method: line(label, *STYLE[method]) for method, label in METHODS.items()},
    "operating": markers("Operating point (WKB)", INK["black"], size=11),
    "region_names": Layer("text", "", REGION_TEXT),
}
FN_LAYERS = {
    # One layer for the points of every method: the method shows in the summary, and its points change
    # colour and marker with it (a data column each, so the layer stays the same).
    "points": Layer("scatter", "Computed J, FN-regime points",
                    {"fill_color": "color", "line_color": "color", "marker": "marker", "size": 7}),
    "fit": line("Straight-line fit", INK["black"], "dashed"),
    "operating": Layer("vspan", "", {"line_color": INK["grey"], "line_width": 1}),
}


class CurrentView(StateView):
    """J-E on a log axis with direct and FN regimes, and the FN plot ln(J/E²) against 1/E."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        je = Plot(JE_LAYERS, "J against oxide field (yellow: direct regime; red: near breakdown)",
                  "Oxide field E (MV/cm)", "Current density J (A/cm²)", y_log=True,
                  x_range=FIELD_WINDOW_MV_CM, y_range=(J_FLOOR_A_CM2, None), legend_columns=2,
                  describe=self.say_current)
        fn = Plot(FN_LAYERS, "Fowler-Nordheim plot (vertical line: operating point)", "1/E (nm/V)",
                  "ln(J/E²), J in A/m², E in V/m", describe=self.say_fn_plot)
        self.feed(je, self.current_vs_field)
        self.feed(fn, self.fn_diagram)
        self.layout([je.pane, fn.pane],
                    [("current_vs_field.csv", self.je_csv, "Download J-E data (CSV)"),
                     ("fn_plot.csv", self.fn_csv, "Download FN-plot data (CSV)")])

    @param.depends("state.param", "state.device.param")
    def current_vs_field(self):
        """J against E for every method (empty for hidden ones), the regions and the operating point."""
        state = self.state
        curves = state.curves()
        layers = {}
        for method in METHODS:
            e, j = (np.asarray(c) for c in curves.get(method, ([], [])))
            keep = j > J_FLOOR_A_CM2  # a log axis: drop what is below its floor
            layers[method] = (e[keep], j[keep])
        lo, hi = FIELD_WINDOW_MV_CM
        onset = min(max(state.fn_regime_onset_MV_cm(), lo), hi)
        op = state.operating_point()
        shown = op["J_A_cm2"] > J_FLOOR_A_CM2
        names = [(lo + 0.2, "direct tunneling")] if onset > lo else []
        names.append((BREAKDOWN_FIELD_MV_CM + 0.2, "near breakdown"))
        return {"layers": {
            **layers,
            "direct": ([lo], [onset]),
            "breakdown": ([BREAKDOWN_FIELD_MV_CM], [hi]),
            "operating": ([op["E_MV_cm"]], [op["J_A_cm2"]]) if shown else ([], []),
            "region_names": ([x for x, _ in names], [J_FLOOR_A_CM2 * 1e3] * len(names),
                             [text for _, text in names]),
        }}

    @param.depends("state.param", "state.device.param")
    def fn_diagram(self):
        """FN plot of the most accurate drawn curve, its fitted line and the operating point's 1/E."""
        fn = self.state.fn_plot()
        x, n = fn["inv_E_nm_per_V"], len(fn["inv_E_nm_per_V"])
        color, _ = STYLE[fn["method"]]
        return {"layers": {
            "points": {"x": x, "y": fn["ln_J_over_E2"], "color": [color] * n,
                       "marker": [MARKER[fn["method"]]] * n},
            "fit": (x, fn["fit"]),
            "operating": ([1e9 / self.state.device.field],),  # 1/E [nm/V]: no current needed
        }}

    def say_current(self, data):
        """The J-E plot in one sentence: the operating point, its regime and the curves drawn."""
        (onset,) = data["direct"]["x1"]
        shown = len(data["operating"]["x"])  # else its current is below the plot's floor
        field = data["operating"]["x"][0] if shown else self.state.operating_point()["E_MV_cm"]
        regime = "direct-tunneling regime" if field < onset else "Fowler-Nordheim regime"
        point = (f"J = {number(data['operating']['y'][0])} A/cm² at {number(field)} MV/cm (WKB)" if shown
                 else f"at {number(field)} MV/cm, J (WKB) below the plot's floor of {J_FLOOR_A_CM2:g} A/cm²")
        drawn = ", ".join(label for method, label in METHODS.items() if len(data[method]["x"]))
        return f"Operating point: {point}, in the {regime}. Curves: {drawn}."

    def say_fn_plot(self, data):
        """The FN plot in one sentence: whose points, the fitted slope against the formula's -B."""
        x, fit = data["fit"]["x"], data["fit"]["y"]
        method = METHODS[self.state.methods()[-1]]
        formula = f"the formula's −B is {number(self.state.formula_slope_V_per_nm())} V/nm"
        if len(x) < 2:
            return f"No {method} points lie in the Fowler-Nordheim regime: nothing to fit; {formula}."
        slope = (fit[-1] - fit[0]) / (x[-1] - x[0])
        return (f"{len(x)} {method} points from 1/E = {number(x[0])} to {number(x[-1])} nm/V; the fitted "
                f"slope is {number(slope)} V/nm and {formula}.")

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
