"""View 4: a synapse array learning online, streamed as it runs (play, pause, step, reset).

Training runs in short chunks from a per-session periodic callback, so the page stays responsive and
shows progress; every plot redraws in place from the state's ``steps_done``, which the state also
announces when the session's element (memory and device controls) or the energy basis changes.  The
summary states the fair-comparison terms: each memory's searched learning rate, the pulse clock's
clipped and dropped updates, and the pricing basis shared with the energy view.
"""

import holoviews as hv
import numpy as np
import panel as pn
import param

from dashboard.state.learning import LABELS, TRACED_WEIGHTS
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView
from dashboard.views.plotting import PLOT_OPTS, batched, plot_pane

COLORS = {"float": "#333333", "fndam": "#1f5fa8", "static-4bit": "#e67e22", "static-6bit": "#c0392b",
          "static-8bit": "#8e44ad"}
TICK_MS = 300  #: period of the training callback while playing [ms]: a redraw costs ~170 ms
STEP_DIM = hv.Dimension("step", label="Training step")


class LearningView(StateView):
    """Controls and four live plots: accuracy, loss, weights, and update size against step.

    Every plot and the summary depend on ``steps_done`` alone: the state restarts its run (and
    announces step 0) whenever a run parameter changes.
    """

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        self._callback = None
        self.plots = {name: plot_pane(method) for name, method in (
            ("accuracy", self.accuracy), ("loss", self.loss), ("weights", self.weights),
            ("updates", self.update_sizes))}
        self.play = pn.widgets.Toggle(label="Play", color="primary", width=100)
        self.step = pn.widgets.Button(label="Step", width=80)
        self.reset = pn.widgets.Button(label="Reset", width=80)
        self.progress = pn.indicators.Progress(value=self._percent, max=100, sizing_mode="stretch_width",
                                               bar_color="primary")
        self.play.param.watch(self._on_play, "value")
        self.step.on_click(lambda _: self._tick())
        self.reset.on_click(lambda _: self._on_reset())
        self.layout([pn.Row(self.plots["accuracy"], self.plots["loss"], sizing_mode="stretch_width"),
                     pn.Row(self.plots["weights"], self.plots["updates"], sizing_mode="stretch_width")],
                    [("learning_curves.csv", self.curves_csv, "Download loss/accuracy (CSV)"),
                     ("weights.csv", self.weights_csv, "Download weights (CSV)")],
                    head=[pn.Row(self.play, self.step, self.reset), self.progress], summary_first=True)

    # --- running -------------------------------------------------------------------------------
    def _on_play(self, event):
        if event.new and self.state.done:
            self.state.reset()  # Play after the end starts again
        if event.new and self._callback is None:
            self._callback = pn.state.add_periodic_callback(self._tick, period=TICK_MS)
        elif not event.new and self._callback is not None:
            self._callback.stop()
            self._callback = None
        self.play.label = "Pause" if event.new else "Play"

    def _tick(self):
        with batched():
            ran = self.state.advance()
        if ran == 0 or self.state.done:
            self.play.value = False

    def _on_reset(self):
        self.play.value = False
        with batched():
            self.state.reset()

    @param.depends("state.steps_done")
    def _percent(self):
        return round(100 * self.state.progress)

    # --- plots ---------------------------------------------------------------------------------
    def _per_memory(self, key, v_dim):
        curves = self.state.curves()
        return hv.Overlay([hv.Curve((curves[name]["step"], curves[name][key]), STEP_DIM, v_dim, label=label)
                           .opts(color=COLORS[name], line_width=3 if name == "fndam" else 1.8)
                           for name, label in LABELS.items()])

    def _frame(self, title, ylabel, **extra):
        # Four plots share the width: small legend labels keep the curves visible.
        return hv.opts.Overlay(**PLOT_OPTS, xlim=(0, self.state.n_steps), title=title, xlabel="Training step",
                               ylabel=ylabel, legend_opts={"label_text_font_size": "8pt"}, **extra)

    @param.depends("state.steps_done")
    def accuracy(self):
        return self._per_memory("accuracy", hv.Dimension("acc", label="Test accuracy")).opts(
            self._frame("Test accuracy while training", "Test accuracy (-)", ylim=(0.4, 1.0),
                        legend_position="bottom_right"))

    @param.depends("state.steps_done")
    def loss(self):
        return self._per_memory("loss", hv.Dimension("loss", label="Test log-loss", unit="nats")).opts(
            self._frame("Test log-loss", "Test log-loss (nats)", legend_position="top_right"))

    @param.depends("state.steps_done")
    def weights(self):
        traces = self.state.weight_traces()
        w_dim = hv.Dimension("w", label="Weight")
        names = [f"w{i + 1}" for i in range(TRACED_WEIGHTS - 1)] + ["bias"]
        layers = [hv.Curve((traces[mem]["step"], traces[mem]["w"][:, i]), STEP_DIM, w_dim,
                           label=f"{names[i]}, {'FN-DAM' if mem == 'fndam' else 'float'}").opts(
                      color=color, line_dash="solid" if mem == "fndam" else "dashed",
                      line_width=2 if mem == "fndam" else 1.5)
                  for i, color in enumerate(("#1f5fa8", "#16a085", "#c0392b"))
                  for mem in ("fndam", "float")]
        return hv.Overlay(layers).opts(self._frame("Weights (solid: FN-DAM)", "Weight (-)",
                                                   legend_position="bottom_right", legend_cols=2))

    @param.depends("state.steps_done")
    def update_sizes(self):
        sizes, schedule = self.state.update_sizes(), self.state.pulse_schedule()
        r_dim = hv.Dimension("rel", label="Relative update size")
        return hv.Overlay([
            hv.Curve((schedule["step"], schedule["fndam"]), STEP_DIM, r_dim,
                     label="one reference pulse (device physics)").opts(color="#1f5fa8", line_width=3),
            hv.Curve((schedule["step"], schedule["float"]), STEP_DIM, r_dim,
                     label="float rate k0/(k0+k)").opts(color="#333333", line_dash="dashed"),
            hv.Curve((sizes["fndam"]["step"], sizes["fndam"]["relative"]), STEP_DIM, r_dim,
                     label="measured |dw|, FN-DAM (incl. read noise)").opts(color="#16a085", alpha=0.7),
            hv.Curve((sizes["float"]["step"], sizes["float"]["relative"]), STEP_DIM, r_dim,
                     label="measured |dw|, float").opts(color="#999999", alpha=0.7),
        ]).opts(self._frame("Update size (self-annealing)",
                            "Update size relative to the first (-)", logy=True,
                            legend_position="bottom_left"))

    @param.depends("state.steps_done")
    def summary(self):
        s = self.state.summary()
        lines = [f"**Step {s['steps_done']:,} of {s['n_steps']:,}**" + (" (done)" if s["done"] else ""),
                 f"Ideal rule ({'Bayes classifier' if self.state.task == '2d' else 'the teacher'}) on this "
                 f"test set: accuracy {s['reference_accuracy']:.3f}"]
        for name, label in LABELS.items():
            m = s["memories"][name]
            acc = "–" if np.isnan(m["accuracy"]) else f"{m['accuracy']:.3f}"
            lines.append(f"{label}: accuracy {acc}, η0 {m['rate']:g}, update energy {m['energy_J']:.3g} J")
        e = s["element"]
        lines.append(f"FN-DAM element (the session's): d {e.oxide_thickness * 1e9:.3g} nm, V0 "
                     f"{e.initial_voltage:.3g} V, φ {e.barrier_height_eV:.3g} eV, m* {e.mass_ratio:.3g} m0, "
                     f"T {e.temperature:.4g} K, S {e.junction_area * 1e12:.3g} µm², "
                     f"C_T {e.capacitance * 1e15:.4g} fF.")
        c = s["fndam_counts"]
        lines.append(f"FN-DAM pulse clock ({self.state.pulse_resolution_us:g} µs tick, "
                     f"{self.state.pulse_min_width_us:g} µs shortest): {c['pulses']:,} pulses for "
                     f"{c['requests']:,} requested updates, {c['clipped']:,} clipped to the 0.1 s step, "
                     f"{c['dropped']:,} dropped as too short.")
        lines.append(self._pricing_text(s))
        grid = ", ".join(f"{r:g}" for r in s["rate_grid"])
        levels = f"over ±{s['weight_range']:g} (4-bit: levels {s['level_step_4bit']:.2f} apart)"
        rounding = (f"Static memories round each write to the nearest level {levels}, so smaller updates "
                    "are lost" if s["static_rounding"] == "nearest" else
                    f"Static memories round each write up or down at random {levels}: unbiased, so small "
                    "updates survive on average")
        reads = (f"; they are read with the FN-DAM readout noise ({s['read_sigma']:.3g} rms in weight units)."
                 if s["static_read_noise"] else "; they are read exactly.")
        lines.append(f"*Same samples, order and steps for every memory; one sample per step (B = 1). Each "
                     f"η0 is the best of {{{grid}}} by final log-loss on the held-out last 20 % of the "
                     f"training stream, searched alike for every memory. {rounding}{reads} Mismatch, "
                     "noise, ADC and clock defaults are illustrative.*")
        return "  \n".join(lines)

    @staticmethod
    def _pricing_text(s):
        """One line: the hierarchy level every memory is priced at, and what a write and a read cost."""
        p, m = s["pricing"], s["memories"]
        reads = "reads charged on both sides" if p.count_reads else "reads charged on neither side"
        fn = m["fndam"]
        fndam = (f"FN-DAM: tunneled charge + drive of each pulse ({fn['write_J'] * 1e15:.3g} fJ)"
                 + (f" + one ADC read ({fn['read_J'] * 1e12:.3g} pJ)" if p.count_reads else ""))
        return (f"Energy as in *Energy at scale*: **{p.baseline}**, {reads}: float 32-bit and static "
                f"b-bit words at {s['baseline_J_per_bit'] * 1e12:.3g} pJ/bit; {fndam}.")

    # --- data ----------------------------------------------------------------------------------
    def curves_csv(self):
        curves = self.state.curves()
        columns = {"step": curves["float"]["step"]}
        for name, data in curves.items():
            for key in ("loss", "accuracy", "energy"):
                columns[f"{key}_{name}"] = data[key]
        summary = self.state.summary()
        rates = ", ".join(f"{name} {m['rate']:g}" for name, m in summary["memories"].items())
        p = summary["pricing"]
        reads = "charged" if p.count_reads else "not charged"
        return to_csv(columns, {"task": self.state.task, "seed": self.state.seed, "learning_rates": rates,
                                "energy": f"{p.baseline}, reads {reads}"})

    def weights_csv(self):
        traces = self.state.weight_traces()
        columns = {"step": traces["float"]["step"]}
        for mem, data in traces.items():
            for i in range(data["w"].shape[1]):
                columns[f"{mem}_w{i + 1}"] = data["w"][:, i]
        return to_csv(columns, {"task": self.state.task, "note": "last column of each memory is the bias"})
