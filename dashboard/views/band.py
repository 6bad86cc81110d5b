"""View 1: the conduction band across floating gate | SiO2 | tunneling node."""

import panel as pn
import param

from dashboard.state.band import MOVING_AGES_S
from dashboard.state.text import duration, number
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.leaving import on_leave
from dashboard.views.plotting import FILL, INK, Layer, Plot, line, markers

#: Electrode width drawn on either side of the oxide [nm].
ELECTRODE_NM = 3.0
#: Time between two ages of the discharge in motion [ms]: 52 ages in about 5 s.
FRAME_MS = 100
PLAY, PAUSE = "Play the discharge: 1 s to 10 years", "Pause the discharge"
LAYERS = {
    "electrodes": Layer("vstrip", "", {"fill_color": FILL["grey"], "fill_alpha": 0.5, "line_alpha": 0}),
    "then": line("Band at programming", INK["grey"], "dashed"),
    "now": line("Conduction band now", INK["blue"], width=3),
    "fermi_gate": line("Fermi level, floating gate", INK["vermillion"], width=2.5),
    "fermi_node": line("Fermi level, tunneling node", INK["purple"], "dotdash", width=2.5),
    "path": line("Tunneling path", INK["green"], "dotted", width=3),
    "turning": markers("Classical turning point", INK["green"], "diamond", size=12),
    "names": Layer("text", "", {"text_font_size": "10pt", "text_color": "#444444", "text_align": "center",
                                  "text_baseline": "top"}),
}


class BandView(StateView):
    """Band diagram with the Fermi levels, the classical turning point and the tunneling distance."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        plot = Plot(LAYERS, "Conduction band across the tunneling oxide", "Position x (nm)",
                    "Energy above the gate's Fermi level (eV)", legend_columns=2, describe=self.say_band)
        self.feed(plot, self.diagram)
        self.play = pn.widgets.Button(label=PLAY, color="primary", css_classes=["fndam-play"],
                                      description="Run the age from 1 s to 10 years: the barrier widens "
                                                  "and the current falls as charge leaves the gate.")
        self.play.on_click(self._toggle)
        on_leave(self._halt)  # a discharge plays for nobody once the page is gone
        self._frames = None  # the periodic callback while the discharge plays
        self.layout([plot.pane], [("band_diagram.csv", self.csv, "Download data (CSV)")], head=[self.play])
        self.state.param.watch(self._stopped_by_choice, "moving_age_s")

    def _toggle(self, _):
        """Play the discharge from 1 s (or where it paused), or pause it."""
        if self._frames is not None:
            self._halt()
            return
        self.play.label = PAUSE
        self._frames = pn.state.add_periodic_callback(self.advance, period=FRAME_MS)

    def advance(self):
        """Show the next age in motion; after 10 years, leave the age chosen at 10 years."""
        now = self.state.moving_age_s
        later = MOVING_AGES_S[MOVING_AGES_S > now] if now is not None else MOVING_AGES_S
        if len(later):
            self.state.moving_age_s = float(later[0])
        else:
            self._halt()
            self.state.age = "10 years"

    def _halt(self):
        if self._frames is not None:
            self._frames.stop()
            self._frames = None
        self.play.label = PLAY

    def _stopped_by_choice(self, event):
        """A chosen age (or a reset) ends the motion: stop playing."""
        if event.new is None:
            self._halt()

    @param.depends("state.param", "state.device.param")
    def diagram(self):
        """Every layer's data for the current state, and the x axis: electrodes either side of the oxide."""
        state, dev = self.state, self.state.device
        d, v_now = dev.oxide_thickness_nm, state.voltage_now()
        now, then = state.profile(v_now), state.profile(dev.oxide_voltage)
        path = state.tunneling_path(now)

        def band(profile, v):
            # The barrier joins each electrode's Fermi level at the interfaces (metal-like electrodes).
            return [0.0, *profile["x_nm"], d], [0.0, *profile["U_eV"], -v]

        # A trapezoidal barrier (direct tunneling) has no turning point: the path exits at the far side.
        turning = path["exit_nm"] < now["x_nm"][-1]
        return {"layers": {
            "electrodes": ([-ELECTRODE_NM, d], [0.0, d + ELECTRODE_NM]),
            "then": band(then, dev.oxide_voltage),
            "now": band(now, v_now),
            "fermi_gate": ([-ELECTRODE_NM, 0], [0, 0]),
            "fermi_node": ([d, d + ELECTRODE_NM], [-v_now, -v_now]),
            "path": ([path["entry_nm"], path["exit_nm"]], [0, 0]),
            "turning": ([path["exit_nm"]], [0.0]) if turning else ([], []),
            "names": ([-ELECTRODE_NM / 2, d / 2, d + ELECTRODE_NM / 2], [dev.barrier_height_eV + 1.2] * 3,
                      ["floating gate", "SiO2", "tunneling node"]),
        }, "x_range": (-ELECTRODE_NM, d + ELECTRODE_NM)}

    def say_band(self, data):
        """The band diagram in one sentence: the oxide voltage now and the path through the barrier."""
        age = self.state.age_s()
        (entry, exit_), v_now = data["path"]["x"], -data["fermi_node"]["y"][0]
        end = (f"to the classical turning point at x = {number(exit_)} nm" if len(data["turning"]["x"])
               else "through the whole oxide (a trapezoidal barrier: direct tunneling)")
        when = f"{duration(age)} after programming" if age else "Just programmed"
        return (f"{when}: V_ox = {number(v_now)} V; an electron at the gate's Fermi level tunnels "
                f"{number(exit_ - entry)} nm, from x = {number(entry)} nm {end}.")

    @param.depends("state.param", "state.device.param")
    def summary(self):
        """One paragraph of numbers for the current state."""
        state, dev = self.state, self.state.device
        v_now = state.voltage_now()
        path = state.tunneling_path(state.profile(v_now))
        regime = ("Fowler-Nordheim (triangular barrier, q V_ox ≥ phi)" if v_now >= dev.barrier_height_eV
                  else "direct tunneling (trapezoidal barrier, q V_ox < phi)")
        age = state.age_s()
        lines = [f"**Age** {duration(age) if age else '0 s (just programmed)'}",
                 f"**V_ox now** {v_now:.3f} V (programmed {dev.oxide_voltage:.2f} V)",
                 f"**Field** {v_now / dev.oxide_thickness_nm * 10:.2f} MV/cm", f"**Regime** {regime}",
                 f"**Tunneling distance** {path['distance_nm']:.2f} nm",
                 f"**Current now** {number(state.electrons_per_s())} electrons/s", dev.field_warning()]
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
