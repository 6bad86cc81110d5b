"""View 5: energy per update by technology, the parts of an FN-DAM update against age, and the energy
of training from 1e3 to 1e12 parameters against a named baseline."""

import holoviews as hv
import numpy as np
import pandas as pd
import panel as pn
import param

from dashboard.state.energy import AGE_RANGE, B_RANGE, N_RANGE
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import PLOT_OPTS, plot_pane, reactive

E_DIM = hv.Dimension("energy", label="Energy", unit="J")
#: The energy of one update: its own dimension, so Panel does not link its axis to the training energy's.
UPDATE_DIM = hv.Dimension("update_energy", label="Energy per update", unit="J")
Y_FLOOR = 1e-22  #: bottom of the technology plot [J], below the Landauer limit
#: A white box behind a label drawn over bars or curves, so it stays readable.
LABEL_BOX = {"background_fill_color": "white", "background_fill_alpha": 0.85}
N_DIM = hv.Dimension("N", label="Model parameters N")
#: Term -> (colour, dash) of the training-energy plot.
STYLE = {"compute": ("#555555", "solid"), "updates": ("#c0392b", "dashed"), "hold": ("#e67e22", "dotted"),
         "total": ("#1f5fa8", "solid")}
#: What depends on the session's FN-DAM element only (not on N, D or B).
ELEMENT = ("state.memory.param", "state.memory.device.param")
#: Part of an FN-DAM update -> (legend label, colour, dash) of the update-parts plot.
PARTS = {"tunneling": ("tunneled charge C_T |dV| V_tun", "#16a085", "solid"),
         "drive": ("pulse drive", "#e67e22", "dashed"),
         "charged": ("total charged per update", "#1f5fa8", "solid"),
         "readout": ("readout: one ADC conversion", "#8e44ad", "dotted")}  # drawn over the total it sets
#: Baseline -> colour on the saving plot.
BASELINE_COLOURS = {"DDR DRAM": "#1f5fa8", "HBM2": "#c0392b", "on-chip SRAM": "#7f8c8d"}
AGE_DIM = hv.Dimension("age", label="Device age", unit="s")


def _si(value, unit):
    """'5.12 nJ'-style text for a positive number."""
    prefixes = [(1e-21, "z"), (1e-18, "a"), (1e-15, "f"), (1e-12, "p"), (1e-9, "n"), (1e-6, "µ"),
                (1e-3, "m"), (1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T"), (1e15, "P")]
    scale, prefix = max(((s, p) for s, p in prefixes if value >= s), default=prefixes[0])
    return f"{value / scale:.3g} {prefix}{unit}"


class EnergyView(StateView):
    """Technology bars with the Landauer floor, energy against N by term, and saving against B."""

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        self.table = pn.pane.DataFrame(reactive(self.sources_table), index=False, sizing_mode="stretch_width",
                                       css_classes=["fndam-table"])
        heading = pn.pane.Markdown("### Sources of every write energy", margin=(10, 10, 0, 10))
        plots = [plot_pane(method) for method in (self.technologies, self.update_parts, self.scale,
                                                  self.saving)]
        self.layout([*plots, heading, self.table],
                    [("technologies.csv", self.technologies_csv, "Download technology data (CSV)"),
                     ("update_parts.csv", self.parts_csv, "Download update-energy parts vs age (CSV)"),
                     ("training_energy.csv", self.scale_csv, "Download energy vs N (CSV)"),
                     ("saving_vs_batch.csv", self.batch_csv, "Download saving vs B (CSV)")])

    @param.depends("state.drive", *ELEMENT)
    def technologies(self):
        """Log bars from the axis floor to each write energy, a whisker to its upper figure, Landauer."""
        rows = self.state.technologies()
        names = [r["technology"] for r in rows]
        energy_j = np.array([r["energy_J"] for r in rows])
        upper = np.array([r["max_J"] for r in rows])
        x = np.arange(len(rows), dtype=float)
        # Rectangles, not Bars: a bar on a log axis needs an explicit floor to start from.
        bars = hv.Rectangles(
            {"slot": x - 0.35, "floor": np.full_like(x, Y_FLOOR), "slot_end": x + 0.35, "write": energy_j,
             "technology": names, "energy_J": energy_j, "source": [r["source"] for r in rows]},
            kdims=["slot", "floor", "slot_end", "write"], vdims=["technology", "energy_J", "source"]).opts(
            color="technology", cmap="Category20", line_color="white", tools=["hover"], show_legend=False)
        ranged = np.isfinite(upper)
        whiskers = hv.Segments((x[ranged], energy_j[ranged], x[ranged], upper[ranged]),
                               kdims=["slot", "floor", "slot_end", "write"]).opts(
            color="#333333", line_width=2)
        floor = self.state.anchors()["landauer_J"]
        return (bars * whiskers * hv.HLine(floor).opts(color="#8e44ad", line_dash="dashed", line_width=2)
                * hv.Text(-0.45, floor * 4, f"Landauer limit kT ln 2 at 300 K ({floor * 1e21:.1f} zJ)").opts(
                    text_align="left", text_font_size="9pt", text_color="#8e44ad", **LABEL_BOX)
                ).opts(hv.opts.Overlay(**PLOT_OPTS, logy=True, ylim=(Y_FLOOR, 1e-9),
                                       xlim=(-0.6, len(rows) - 0.4),
                                       xticks=list(zip(x, names, strict=True)), xrotation=30,
                                       title="Write energy per update (whisker: upper figure; hover: source)",
                                       xlabel="", ylabel="Energy per update or per bit (J)"))

    @param.depends("state.param", *ELEMENT)
    def update_parts(self):
        """The parts of one FN-DAM update against age (log-log), the ages the run visits (band) with its
        mean charged energy, and the preprint's 5 fJ anchor."""
        data = self.state.update_parts_vs_age()
        layers = []
        for key, (label, colour, dash) in PARTS.items():
            width = 3 if key == "charged" else 1.8
            layers.append(hv.Curve((data["age"], data[key]), AGE_DIM, UPDATE_DIM, label=label).opts(
                color=colour, line_dash=dash, line_width=width))
        first, last = data["run"]
        span = (max(first, AGE_RANGE[0]), min(max(last, first * 1.01), AGE_RANGE[1]))
        layers.append(hv.Curve((list(span), [data["mean_charged"]] * 2), AGE_DIM, UPDATE_DIM,
                               label="mean charged over the run's ages").opts(color="#c0392b", line_width=4))
        paper = self.state.anchors()["paper"]
        ymin = min(float(np.min(data["tunneling"])), paper.value) / 3
        ymax = max(float(np.max(data["charged"])), paper.value) * 5
        # The band as a rectangle of data (a VSpan annotation let the browser's log axis run to 1e11).
        # Named dimensions: Panel links the axes of plots whose dimensions match, and the technology bars'
        # default x0/y0 would have pulled their axis to ten years.
        band = hv.Rectangles([(span[0], ymin, span[1], ymax)],
                             kdims=[AGE_DIM, UPDATE_DIM, "age_end", "energy_end"]).opts(
            color="#f1c40f", alpha=0.15, line_alpha=0)
        return (band * hv.Overlay(layers)
                * hv.HLine(paper.value).opts(color="#555555", line_dash="dashed")
                * hv.Text(AGE_RANGE[0] * 1.5, paper.value * 1.8,
                          "preprint abstract: 'as low as 5 fJ'").opts(
                    text_align="left", text_font_size="9pt", text_color="#555555", **LABEL_BOX)
                ).opts(hv.opts.Overlay(**PLOT_OPTS, logx=True, logy=True, xlim=AGE_RANGE, ylim=(ymin, ymax),
                                       legend_position="bottom_left",
                                       title="Energy of one FN-DAM update by part against age "
                                             "(band: ages the run visits)",
                                       xlabel="Device age at the pulse (s)", ylabel="Energy per update (J)"))

    @param.depends("state.param", *ELEMENT)
    def scale(self):
        data = self.state.training_vs_params()
        n_mark = 10.0**self.state.log10_params
        layers = []
        # FN-DAM holds its state without supply power: its hold term is zero and not drawn.
        for side, label, terms in (("conventional", "conventional", ("updates", "hold", "total")),
                                   ("fndam", "FN-DAM", ("updates", "total"))):
            for term in terms:
                y = data[side][term]
                keep = y > 0  # a zero term has no place on a log axis (FN-DAM holds for free)
                colour, dash = STYLE[term]
                curve = hv.Curve((data["N"][keep], y[keep]), N_DIM, E_DIM, label=f"{term}, {label}")
                layers.append(curve.opts(color=colour if side == "conventional" else "#16a085",
                                         line_dash=dash, line_width=3 if term == "total" else 1.8))
        colour, dash = STYLE["compute"]
        layers.append(hv.Curve((data["N"], data["conventional"]["compute"]), N_DIM, E_DIM,
                               label="compute (same for both)").opts(color=colour, line_dash=dash))
        return (hv.Overlay(layers) * hv.VLine(n_mark).opts(color="#999999", line_dash="dotted")).opts(
            hv.opts.Overlay(**PLOT_OPTS, logx=True, logy=True, xlim=N_RANGE, legend_position="top_left",
                            title=f"Training energy against model size at B = {self.state.batch_size():,.0f}",
                            xlabel="Model parameters N", ylabel="Training energy (J)"))

    @param.depends("state.param", *ELEMENT)
    def saving(self):
        data = self.state.saving_vs_batch()
        b_dim = hv.Dimension("B", label="Batch size B")
        s_dim = hv.Dimension("saving", label="Energy saving")
        press = self.state.anchors()["press"].value
        chosen = self.state.baseline
        # Fixed labels (a label that changes breaks the in-place redraw): the chosen one is drawn thick.
        curves = [hv.Curve((data["B"], saving), b_dim, s_dim, label=f"against {name}").opts(
                      color=BASELINE_COLOURS[name], line_width=3 if name == chosen else 1.5,
                      line_dash="solid" if name == chosen else "dashed")
                  for name, saving in data["by_baseline"].items()]
        # Where this model still reaches the press's 100x with the chosen baseline (none: no line).
        reach = [data["press_B"]] if 0 < data["press_B"] < np.inf else []
        return (hv.Overlay(curves)
                * hv.Scatter((data["table_B"], data["table_saving"]), b_dim, s_dim,
                             label="B = 1, 32, 1024, 4e6").opts(color="#c0392b", size=9)
                * hv.Scatter((reach, [press] * len(reach)), b_dim, s_dim,
                             label="largest B still at 100x").opts(color="#8e44ad", size=12, marker="x")
                * hv.HLine(press).opts(color="#8e44ad", line_dash="dashed")
                * hv.Text(B_RANGE[0] * 2, press * 1.4, "100x: press-reported projection, The Register 2022 "
                          "(not computed)").opts(
                    text_align="left", text_font_size="9pt", text_color="#8e44ad", **LABEL_BOX)
                * hv.VLine(self.state.batch_size()).opts(color="#999999", line_dash="dotted")
                ).opts(hv.opts.Overlay(**PLOT_OPTS, logx=True, logy=True, xlim=B_RANGE,
                                       legend_position="bottom_left",
                                       title=f"Saving of FN-DAM updates against batch size (thick: "
                                             f"{chosen}; compute unchanged)",
                                       xlabel="Batch size B (samples per step)",
                                       ylabel="E conventional / E FN-DAM"))

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
