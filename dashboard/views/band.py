"""View 1: the conduction band across floating gate | SiO2 | tunneling node."""

import holoviews as hv
import param

from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import PLOT_OPTS, plot_pane

#: Electrode width drawn on either side of the oxide [nm].
ELECTRODE_NM = 3.0


class BandView(StateView):
    """Band diagram with the Fermi levels, the classical turning point and the tunneling distance."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        self.layout([plot_pane(self.diagram)], [("band_diagram.csv", self.csv, "Download data (CSV)")])

    @param.depends("state.param", "state.device.param")
    def diagram(self):
        """Every element of the diagram for the current state (same layers every frame)."""
        state, dev = self.state, self.state.device
        d, v_now = dev.oxide_thickness_nm, state.voltage_now()
        now, then = state.profile(v_now), state.profile(dev.oxide_voltage)
        path = state.tunneling_path(now)
        dims = (hv.Dimension("x", label="Position x", unit="nm"),
                hv.Dimension("U", label="Energy", unit="eV"))

        def band(profile, v):
            # The barrier joins each electrode's Fermi level at the interfaces (metal-like electrodes).
            xs = [0.0, *profile["x_nm"], d]
            return xs, [0.0, *profile["U_eV"], -v]

        return (
            # Both electrodes as one element: each layer costs a page ~10 ms of server time to build.
            hv.VSpans([(-ELECTRODE_NM, 0.0), (d, d + ELECTRODE_NM)], kdims=["x0", "x1"]).opts(
                color="#d9d9d9", alpha=0.5)
            * hv.Curve(band(then, dev.oxide_voltage), *dims, label="Band at programming").opts(
                color="#9e9e9e", line_dash="dashed")
            * hv.Curve(band(now, v_now), *dims, label="Conduction band now").opts(
                color="#1f5fa8", line_width=3)
            * hv.Curve(([-ELECTRODE_NM, 0], [0, 0]), *dims, label="Fermi level, floating gate").opts(
                color="#c0392b", line_width=2)
            * hv.Curve(([d, d + ELECTRODE_NM], [-v_now, -v_now]), *dims,
                       label="Fermi level, tunneling node").opts(color="#e67e22", line_width=2)
            * hv.Curve(([path["entry_nm"], path["exit_nm"]], [0, 0]), *dims, label="Tunneling path").opts(
                color="#2e8b57", line_width=3, line_dash="dotted")
            # A trapezoidal barrier (direct tunneling) has no turning point: the path exits at the far side.
            * hv.Points([(path["exit_nm"], 0.0)] if path["exit_nm"] < now["x_nm"][-1] else [],
                        kdims=list(dims), label="Classical turning point").opts(
                color="#2e8b57", size=10)
            * hv.Labels({"x": [-ELECTRODE_NM / 2, d / 2, d + ELECTRODE_NM / 2],
                         "U": [dev.barrier_height_eV + 0.6] * 3,
                         "text": ["floating gate", "SiO2", "tunneling node"]}, kdims=list(dims), vdims="text")
            .opts(text_font_size="10pt", text_color="#444444")
        ).opts(hv.opts.Overlay(**PLOT_OPTS, title="Conduction band across the tunneling oxide",
                               legend_position="bottom_left", legend_opts={"background_fill_alpha": 0.75},
                               xlim=(-ELECTRODE_NM, d + ELECTRODE_NM),
                               xlabel="Position x (nm)",
                               ylabel="Energy above floating-gate Fermi level (eV)"))

    @param.depends("state.param", "state.device.param")
    def summary(self):
        """One paragraph of numbers for the current state."""
        state, dev = self.state, self.state.device
        v_now = state.voltage_now()
        path = state.tunneling_path(state.profile(v_now))
        regime = ("Fowler-Nordheim (triangular barrier, q V_ox ≥ phi)" if v_now >= dev.barrier_height_eV
                  else "direct tunneling (trapezoidal barrier, q V_ox < phi)")
        lines = [f"**V_ox now** {v_now:.3f} V (programmed {dev.oxide_voltage:.2f} V)",
                 f"**Field** {v_now / dev.oxide_thickness_nm * 10:.2f} MV/cm", f"**Regime** {regime}",
                 f"**Tunneling distance** {path['distance_nm']:.2f} nm", dev.field_warning()]
        return "  \n".join(line for line in lines if line)

    def csv(self):
        """The plot's data: oxide conduction band now, with the levels as notes."""
        state = self.state
        v_now = state.voltage_now()
        profile = state.profile(v_now)
        path = state.tunneling_path(profile)
        notes = {"oxide_voltage_now_V": f"{v_now:.6g}", "fermi_floating_gate_eV": 0,
                 "fermi_tunneling_node_eV": f"{-v_now:.6g}", **{k: f"{v:.6g}" for k, v in path.items()}}
        return to_csv(profile, notes)
