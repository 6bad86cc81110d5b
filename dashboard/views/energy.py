"""View 5: energy per update by technology, the parts of an FN-DAM update against age, and the energy
of training from 1e3 to 1e12 parameters against a named baseline."""

import math

import numpy as np
import pandas as pd
import panel as pn
import param
from bokeh.models import FixedTicker

from dashboard.state.energy import AGE_RANGE, B_RANGE, N_RANGE
from dashboard.state.text import duration, number
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import FILL, INK, Layer, Plot, line, markers, reactive

Y_FLOOR = 1e-22  #: bottom of the technology plot [J], below the Landauer limit
#: What depends on the session's FN-DAM element only (not on N, D or B).
ELEMENT = ("state.memory.param", "state.memory.device.param")
#: A label drawn over bars or curves: dark grey text (9.7:1 on white, the projector view's 7:1 met) in a
#: white box, so it stays readable.
NOTE = {"text_font_size": "9pt", "text_color": "#444444", "text_align": "left",
        "background_fill_color": "white", "background_fill_alpha": 0.85}
#: A horizontal reference line (Landauer, the preprint's 5 fJ, the press's 100x) and its label.
REFERENCE = {"line_color": INK["grey"], "line_dash": "dashed", "line_width": 2}
#: The chosen N or B: a vertical line.
CHOSEN = {"line_color": INK["grey"], "line_dash": "dotted", "line_width": 1.5}
#: A dash of long strokes: the sixth pattern a plot of six curves needs ("dashdot" is "dotdash" shifted).
LONG_DASH = "14 4"

TECH_LAYERS = {
    # Quads, not bars: a bar on a log axis needs an explicit floor to start from. One colour: the axis
    # names each bar, and the hover gives its technology, energy and source.
    "bars": Layer("quad", "", {"fill_color": INK["blue"], "fill_alpha": 0.8, "line_color": "white"},
                  tooltips=(("Technology", "@technology"), ("Write energy", "@energy"),
                            ("Source", "@source"))),
    "whiskers": Layer("segment", "", {"line_color": INK["black"], "line_width": 2}),
    "landauer": Layer("hspan", "", REFERENCE),
    "landauer_name": Layer("text", "", NOTE),
}
#: Part of an FN-DAM update -> its curve (the readout is drawn over the total it sets).
PARTS = {"tunneling": line("tunneled charge C_T |dV| V_tun", INK["green"], "dashdot", width=1.8),
         "drive": line("pulse drive", INK["vermillion"], "dashed", width=1.8),
         "charged": line("total charged per update", INK["blue"], width=3),
         "readout": line("readout: one ADC conversion", INK["purple"], "dotted", width=2.5)}
PARTS_LAYERS = {
    "run": Layer("vstrip", "", {"fill_color": FILL["yellow"], "fill_alpha": 0.25, "line_alpha": 0}),
    **PARTS,
    "mean": line("mean charged over the run's ages", INK["black"], LONG_DASH, width=4),
    "paper": Layer("hspan", "", REFERENCE),
    "paper_name": Layer("text", "", NOTE),
}
#: (side, term) -> curve of the training-energy plot. FN-DAM holds its state without supply power: its
#: hold term is zero and not drawn.
TERMS = {("conventional", "updates"): line("updates, conventional", INK["vermillion"], "dashed"),
         ("conventional", "hold"): line("hold, conventional", INK["purple"], "dotted", width=2.5),
         ("conventional", "total"): line("total, conventional", INK["blue"], width=3),
         ("fndam", "updates"): line("updates, FN-DAM", INK["black"], "dotdash"),
         ("fndam", "total"): line("total, FN-DAM", INK["green"], LONG_DASH, width=3)}
SCALE_LAYERS = {**{f"{term}_{side}": layer for (side, term), layer in TERMS.items()},
                "compute": line("compute (same for both)", INK["grey"], "8 3 2 3 2 3", width=1.8),
                "chosen": Layer("vspan", "", CHOSEN)}
#: Baseline -> its curve on the saving plot.
BASELINES = {"DDR DRAM": line("against DDR DRAM", INK["blue"]),
             "HBM2": line("against HBM2", INK["vermillion"], "dashed"),
             "on-chip SRAM": line("against on-chip SRAM", INK["green"], "dotdash")}
SAVING_LAYERS = {
    # A wide light band under the chosen baseline's curve (named in the title): the curves keep their
    # styles, the band moves.
    "highlight": line("chosen baseline", FILL["blue"], width=10, line_alpha=0.5),
    **BASELINES,
    "table": markers("B = 1, 32, 1024, 4e6", INK["black"]),
    "reach": markers("largest B still at 100x", INK["purple"], "x", size=14, line_width=2.5),
    "press": Layer("hspan", "", REFERENCE),
    "press_name": Layer("text", "", NOTE),
    "chosen": Layer("vspan", "", CHOSEN),
}


def _si(value, unit):
    """'5.12 nJ'-style text for a positive number."""
    prefixes = [(1e-21, "z"), (1e-18, "a"), (1e-15, "f"), (1e-12, "p"), (1e-9, "n"), (1e-6, "µ"),
                (1e-3, "m"), (1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T"), (1e15, "P")]
    scale, prefix = max(((s, p) for s, p in prefixes if value >= s), default=prefixes[0])
    return f"{value / scale:.3g} {prefix}{unit}"


def _name_slots(figure, names):
    """Label slot i of the x axis with ``names[i]``, slanted so long names fit side by side (the figure
    grows by what they take: its data area has a fixed height, plotting.FRAME_HEIGHT)."""
    figure.xaxis.ticker = FixedTicker(ticks=list(range(len(names))), minor_ticks=[])
    figure.xaxis.major_label_overrides = dict(enumerate(names))
    figure.xaxis.major_label_orientation = math.radians(30)
    figure.xgrid.grid_line_color = None  # the slots are categories: no grid between them


class EnergyView(StateView):
    """Technology bars with the Landauer floor, update parts against age, energy against N by term, and
    saving against B."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        self.table = pn.pane.DataFrame(reactive(self.sources_table), index=False, sizing_mode="stretch_width",
                                       css_classes=["fndam-table"])
        heading = pn.pane.Markdown("## Sources of every write energy", margin=(10, 10, 0, 10))
        names = [row["technology"] for row in state.technologies()]  # fixed: the table and the element
        tech = Plot(TECH_LAYERS, "Write energy per update (whisker: upper figure; hover: source)", "",
                    "Energy per update or per bit (J)", y_log=True, x_range=(-0.6, len(names) - 0.4),
                    y_range=(Y_FLOOR, 1e-9), describe=self.say_technologies)
        _name_slots(tech.figure, names)
        parts = Plot(PARTS_LAYERS, "Energy of one FN-DAM update by part against age "
                                   "(band: ages the run visits)",
                     "Device age at the pulse (s)", "Energy per update (J)", x_log=True, y_log=True,
                     x_range=AGE_RANGE, legend_columns=2, describe=self.say_update_parts)
        scale = Plot(SCALE_LAYERS, "Training energy against model size", "Model parameters N",
                     "Training energy (J)", x_log=True, y_log=True, x_range=N_RANGE, legend_columns=2,
                     describe=self.say_scale)
        saving = Plot(SAVING_LAYERS, "Saving of FN-DAM updates against batch size",
                      "Batch size B (samples per step)", "E conventional / E FN-DAM", x_log=True, y_log=True,
                      x_range=B_RANGE, legend_columns=2, describe=self.say_saving)
        for plot, method in ((tech, self.technologies), (parts, self.update_parts), (scale, self.scale),
                             (saving, self.saving)):
            self.feed(plot, method)
        self.layout([tech.pane, parts.pane, scale.pane, saving.pane, heading, self.table],
                    [("technologies.csv", self.technologies_csv, "Download technology data (CSV)"),
                     ("update_parts.csv", self.parts_csv, "Download update-energy parts vs age (CSV)"),
                     ("training_energy.csv", self.scale_csv, "Download energy vs N (CSV)"),
                     ("saving_vs_batch.csv", self.batch_csv, "Download saving vs B (CSV)")])

    @param.depends("state.drive", *ELEMENT)
    def technologies(self):
        """Bars from the axis floor to each write energy, a whisker to its upper figure, Landauer."""
        rows = self.state.technologies()
        energy_j = np.array([r["energy_J"] for r in rows])
        upper = np.array([r["max_J"] for r in rows])
        x = np.arange(len(rows), dtype=float)
        ranged = np.isfinite(upper)
        floor = self.state.anchors()["landauer_J"]
        return {"layers": {
            "bars": {"left": x - 0.35, "right": x + 0.35, "bottom": np.full_like(x, Y_FLOOR), "top": energy_j,
                     "technology": [r["technology"] for r in rows], "energy": [_si(e, "J") for e in energy_j],
                     "source": [r["source"] for r in rows]},
            "whiskers": (x[ranged], energy_j[ranged], x[ranged], upper[ranged]),
            "landauer": ([floor],),
            "landauer_name": ([-0.45], [floor * 4],
                              [f"Landauer limit kT ln 2 at 300 K ({floor * 1e21:.1f} zJ)"]),
        }}

    @param.depends("state.param", *ELEMENT)
    def update_parts(self):
        """The parts of one FN-DAM update against age (log-log), the ages the run visits (band) with its
        mean charged energy, and the preprint's 5 fJ anchor; the energy axis fits them all."""
        data = self.state.update_parts_vs_age()
        first, last = data["run"]
        span = [max(first, AGE_RANGE[0]), min(max(last, first * 1.01), AGE_RANGE[1])]
        paper = self.state.anchors()["paper"].value
        return {"layers": {
            **{key: (data["age"], data[key]) for key in PARTS},
            "run": ([span[0]], [span[1]]),
            "mean": (span, [data["mean_charged"]] * 2),
            "paper": ([paper],),
            "paper_name": ([AGE_RANGE[0] * 1.5], [paper * 1.8], ["preprint abstract: 'as low as 5 fJ'"]),
        }, "y_range": (min(float(np.min(data["tunneling"])), paper) / 3,
                       max(float(np.max(data["charged"])), paper) * 5)}

    @param.depends("state.param", *ELEMENT)
    def scale(self):
        """Every term of the training energy against N for both sides, and the chosen N."""
        data = self.state.training_vs_params()
        layers = {}
        for side, term in TERMS:
            y = data[side][term]
            keep = y > 0  # a zero term has no place on a log axis
            layers[f"{term}_{side}"] = (data["N"][keep], y[keep])
        return {"layers": {**layers, "compute": (data["N"], data["conventional"]["compute"]),
                           "chosen": ([10.0**self.state.log10_params],)},
                "title": f"Training energy against model size at B = {self.state.batch_size():,.0f}"}

    @param.depends("state.param", *ELEMENT)
    def saving(self):
        """The saving against B for every baseline (the chosen one highlighted), the table's batch sizes,
        where the chosen baseline still reaches the press's 100x, and the chosen B."""
        data = self.state.saving_vs_batch()
        press = self.state.anchors()["press"].value
        chosen = self.state.baseline
        # Where this model still reaches the press's 100x with the chosen baseline (none: no marker).
        reach = [data["press_B"]] if 0 < data["press_B"] < np.inf else []
        return {"layers": {
            **{name: (data["B"], saving) for name, saving in data["by_baseline"].items()},
            "highlight": (data["B"], data["by_baseline"][chosen]),
            "table": (data["table_B"], data["table_saving"]),
            "reach": (reach, [press] * len(reach)),
            "press": ([press],),
            "press_name": ([B_RANGE[0] * 2], [press * 1.4],
                           ["100x: press-reported projection, The Register 2022 (not computed)"]),
            "chosen": ([self.state.batch_size()],),
        }, "title": f"Saving of FN-DAM updates against batch size (highlighted: {chosen}; compute unchanged)"}

    def say_technologies(self, data):
        """The technology plot in one sentence: the lowest and highest write energies, and Landauer."""
        bars = data["bars"]
        low, high = int(np.argmin(bars["top"])), int(np.argmax(bars["top"]))
        return (f"Write energy per update of {len(bars['top'])} technologies, from {bars['technology'][low]} "
                f"({bars['energy'][low]}) to {bars['technology'][high]} ({bars['energy'][high]}); the "
                f"Landauer limit is {_si(data['landauer']['y'][0], 'J')}.")

    def say_update_parts(self, data):
        """The update-parts plot in one sentence: the mean charged energy over the run's ages."""
        (first,), (last,) = data["run"]["x0"], data["run"]["x1"]
        return (f"Over the ages the run visits ({duration(first)} to {duration(last)}), one FN-DAM update "
                f"charges {_si(data['mean']['y'][0], 'J')} on average; the preprint abstract states "
                f"{_si(data['paper']['y'][0], 'J')}.")

    def say_scale(self, data):
        """The training-energy plot in one sentence: both totals at the chosen N and B."""
        s = self.state.summary()
        return (f"At N = {number(s['N'])} parameters and B = {s['batch']:,.0f}, training takes "
                f"{_si(s['conventional_total_J'], 'J')} conventionally and {_si(s['fndam_total_J'], 'J')} "
                "with FN-DAM updates.")

    def say_saving(self, data):
        """The saving plot in one sentence: the saving at the chosen B, and where 100x is reached."""
        s = self.state.summary()
        reach = (f"; it reaches 100x for B up to {number(data['reach']['x'][0])}" if len(data["reach"]["x"])
                 else "")
        return (f"Saving against {self.state.baseline} at B = {s['batch']:,.0f}: {number(s['saving'])}x"
                f"{reach}.")

    @param.depends("state.param", *ELEMENT)
    def summary(self):
        s = self.state.summary()
        base = s["baseline"]
        reads = "reads charged on both sides" if s["reads"] else "reads charged on neither side"
        bits = f"({s['bits_per_update']} + 32 read) bits" if s["reads"] else f"{s['bits_per_update']} bits"
        conv = (f"**Per update** conventional {_si(s['conventional_J'], 'J')}: {self.state.baseline}, "
                f"{bits} x {_si(base.energy_per_bit, 'J')}/bit "
                f"({base.source}).  \n")
        if s["device_physics"]:
            p = s["run_parts"]
            fn = (f"FN-DAM {_si(s['fndam_J'], 'J')}: this element averaged over the {s['steps']:.3g} steps "
                  f"of the run (ages {_si(s['run_ages'][0], 's')} to {_si(s['run_ages'][1], 's')}): "
                  f"tunneling {_si(p.tunneling, 'J')}, drive {_si(p.drive, 'J')}"
                  + (f", read {_si(p.readout, 'J')}" if s["reads"] else "") + ".  \n")
        else:
            fn = (f"FN-DAM {_si(s['fndam_J'], 'J')}: the preprint's 5 fJ"
                  + (f" + one ADC read {_si(s['readout_J'], 'J')}" if s["reads"] else "") + ".  \n")
        others = ", ".join(f"{name} {value:.3g}x" for name, value in s["by_baseline"].items())
        against = f"against {self.state.baseline}"
        if s["press_B"] == 0:
            reach = f"never reaches 100x {against} (B = 1 gives {float(self.state.saving_at(1.0)):.3g}x)"
        elif np.isinf(s["press_B"]):
            reach = f"reaches 100x {against} at every batch size shown"
        else:
            reach = f"reaches 100x {against} only for B up to {s['press_B']:.3g}"
        hbm = ("  \n*HBM2 traffic is already inside the GPU board power that sets e_flop: this baseline "
               "counts it twice.*" if self.state.baseline == "HBM2" else "")
        return (conv + fn
                + f"**At N = {s['N']:.3g}, B = {s['batch']:,.0f}:** conventional "
                f"{_si(s['conventional_total_J'], 'J')}, FN-DAM {_si(s['fndam_total_J'], 'J')}, "
                f"**saving {s['saving']:.3g}x** against {self.state.baseline}, {reads}.  \n"
                f"**Same N, B against each baseline:** {others}.  \n"
                f"**Press-reported projection, The Register 2022:** ~100x less training energy, 'a "
                f"pessimistic projection'; its derivation is not public. This model {reach}.  \n"
                f"**Preprint abstract:** {_si(s['paper'].value, 'J')} per update and 14 bits "
                f"({s['paper'].source}; not in the published paper's abstract).{hbm}  \n"
                "*Swapping the memory alone saves much only when updates rival compute (small batches); "
                "a 100x at datacentre scale needs learning in memory.*")

    @param.depends("state.drive", *ELEMENT)
    def sources_table(self):
        rows = self.state.technologies()
        return pd.DataFrame({"Technology": [r["technology"] for r in rows],
                             "Write energy": [_si(r["energy_J"], "J") for r in rows],
                             "Per": [r["basis"] for r in rows], "Includes": [r["includes"] for r in rows],
                             "Source": [r["source"] for r in rows]})

    def technologies_csv(self):
        rows = self.state.technologies()
        return to_csv({key: [r[key] for r in rows] for key in rows[0]},
                      {"landauer_J_at_300K": self.state.anchors()["landauer_J"]})

    def parts_csv(self):
        data = self.state.update_parts_vs_age()
        return to_csv({"age_s": data["age"], **{f"{key}_J": data[key] for key in PARTS}},
                      {**self._notes(), "run_first_age_s": data["run"][0], "run_last_age_s": data["run"][1],
                       "mean_charged_J": data["mean_charged"]})

    def scale_csv(self):
        data = self.state.training_vs_params()
        columns = {"N": data["N"]}
        for side in ("conventional", "fndam"):
            for term, values in data[side].items():
                columns[f"{term}_{side}_J"] = values
        return to_csv(columns, self._notes())

    def batch_csv(self):
        data = self.state.saving_vs_batch()
        return to_csv({"B": data["B"], "saving": data["saving"]}, self._notes())

    def _notes(self):
        s = self.state
        return {"N": 10.0**s.log10_params, "D": 10.0**s.log10_samples, "B": s.batch_size(),
                "e_flop": s.e_flop, "baseline": s.baseline, "update_traffic": s.update_traffic,
                "count_reads": s.count_reads, "fndam": s.fndam_source, "drive": s.drive,
                "adc_bits": s.adc_bits, "adc_fom_fJ": s.adc_fom_fJ, "start_age_s": s.start_age(),
                "step_s": s.step_seconds(), "hold_pW_per_bit": s.hold_pW_per_bit,
                "train_days": s.train_days}
