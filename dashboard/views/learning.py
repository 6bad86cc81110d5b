"""View 4: a synapse array learning online, streamed as it runs (play, pause, step, reset).

While it plays, a per-session periodic callback shows the next chunk of steps; when served, the steps
are computed by the server's training worker process (:mod:`dashboard.state.runs`, once for every
session with the same parameters) and a tick only takes what has arrived, so the event loop that serves
every session never trains.  The plots are drawn once and then fed only the new points
(:meth:`dashboard.views.plotting.Plot.append`); a new run (a reset, a parameter, the session's element)
redraws them whole.  Pause, reset, a new parameter or a closed page stop the work asked for.  The summary
states the fair-comparison terms: each memory's searched learning rate, the pulse clock's clipped and
dropped updates, and the pricing basis shared with the energy view.
"""

from functools import partial

import numpy as np
import panel as pn
import param

from dashboard.state import runs
from dashboard.state.learning import LABELS, TRACED_WEIGHTS
from dashboard.state.text import number
from dashboard.views.download import to_csv
from dashboard.views.layout import StateView, side_by_side
from dashboard.views.leaving import on_leave, served_doc
from dashboard.views.plotting import INK, Plot, batched, line

#: Period of the callback that shows the next chunk while playing, or waits for one to be computed [ms].
TICK_MS = 300
#: Each memory's curve in the accuracy and loss plots (FN-DAM blue and float black in every plot).
MEMORY_LAYERS = {
    "float": line(LABELS["float"], INK["black"], "dashed", width=1.8),
    "fndam": line(LABELS["fndam"], INK["blue"], width=3),
    "static-4bit": line(LABELS["static-4bit"], INK["vermillion"], "dotted", width=1.8),
    "static-6bit": line(LABELS["static-6bit"], INK["green"], "dotdash", width=1.8),
    "static-8bit": line(LABELS["static-8bit"], INK["purple"], "dashdot", width=1.8),
}
#: Weights drawn (the first ones, then the bias), each with its dash.
WEIGHT_NAMES = [f"w{i + 1}" for i in range(TRACED_WEIGHTS - 1)] + ["bias"]
WEIGHT_DASHES = ("solid", "dashed", "dotted")
#: A weight's two curves share its dash; FN-DAM's is blue and thick, float's black and thin (listed by
#: memory: the two-column legend, filled column by column, puts FN-DAM left and float right).
WEIGHT_LAYERS = {
    f"{weight}-{mem}": line(f"{weight}, {'FN-DAM' if mem == 'fndam' else 'float'}",
                            INK["blue"] if mem == "fndam" else INK["black"], dash,
                            width=2.5 if mem == "fndam" else 1.5)
    for mem in ("fndam", "float") for weight, dash in zip(WEIGHT_NAMES, WEIGHT_DASHES, strict=True)}
UPDATE_LAYERS = {
    "schedule-fndam": line("one reference pulse (device physics)", INK["blue"], width=3),
    "schedule-float": line("float rate k0/(k0+k)", INK["black"], "dashed"),
    # Opaque: at 0.8 alpha the green and vermillion fall below 3:1 on white (tests/test_contrast.py).
    "fndam": line("measured |dw|, FN-DAM (incl. read noise)", INK["green"], "dotdash", width=1.8),
    "float": line("measured |dw|, float", INK["vermillion"], "dotted", width=1.8),
}


class LearningView(StateView):
    """Controls and four streamed plots: accuracy, loss, weights, and update size against step.

    The plots and the summary follow ``steps_done``: the state restarts its run (and announces step 0)
    whenever a run parameter changes, and announces the run's rates when they arrive.
    """

    def __init__(self, state, notice, **params):
        super().__init__(state, notice, **params)
        if served_doc() is not None:  # served: train off the event loop
            state.executor = runs.process_pool()
        self._driver = None  # the periodic callback, while playing, stepping or waiting for the rates
        self._stepping = False  # a Step whose steps are being computed
        self._shown = (None, 0)  # the playback and step count the plots show
        self.plots = self._make_plots()
        for plot in self.plots.values():
            self.scaled(plot)
        self.play = pn.widgets.Toggle(label="Play", color="primary", width=100)
        self.step = pn.widgets.Button(label="Step", width=80)
        self.reset = pn.widgets.Button(label="Reset", width=80)
        self.progress = pn.indicators.Progress(value=self._percent, max=100, sizing_mode="stretch_width",
                                               bar_color="primary")
        self.play.param.watch(self._on_play, "value")
        on_leave(self._on_left)
        self.step.on_click(lambda _: self._on_step())
        self.reset.on_click(lambda _: self._on_reset())
        state.param.watch(lambda _: self._draw(), "steps_done")
        self._draw()
        panes = {name: plot.pane for name, plot in self.plots.items()}
        self.layout([side_by_side(panes["accuracy"], panes["loss"]),
                     side_by_side(panes["weights"], panes["updates"])],
                    [("learning_curves.csv", self.curves_csv, "Download loss/accuracy (CSV)"),
                     ("weights.csv", self.weights_csv, "Download weights (CSV)")],
                    head=[pn.FlexBox(self.play, self.step, self.reset), self.progress], summary_first=True)

    # --- running -------------------------------------------------------------------------------
    def _on_play(self, event):
        if event.new:
            if self.state.done:
                self.state.reset()  # Play after the end starts again
            self._start_driver()
        else:
            self._pause()
        self.play.label = "Pause" if event.new else "Play"

    def _on_step(self):
        with batched():
            ran = self.state.advance()
        if ran is None:  # being computed: the driver shows it when it comes
            self._stepping = True
            self._start_driver()

    def _on_reset(self):
        self.play.value = False
        self._stepping = False
        with batched():
            self.state.reset()  # which releases the old run's work

    def _tick(self):
        """Show the next chunk if it has been computed (playing, or a Step waiting), take the rates if
        they have come; stop when there is nothing left to wait for."""
        waiting = self.state.poll()
        if self.play.value or self._stepping:
            with batched():
                ran = self.state.advance()
            if ran is not None:
                self._stepping = False
                if ran == 0 or self.state.done:
                    self.play.value = False  # the end pauses
        if not (self.play.value or self._stepping or waiting):
            self._stop_driver()

    def _start_driver(self):
        if self._driver is None:
            self._driver = pn.state.add_periodic_callback(self._tick, period=TICK_MS)

    def _stop_driver(self):
        if self._driver is not None:
            self._driver.stop()
            self._driver = None

    def _pause(self):
        """Stop showing steps and release the work asked for; the callback goes on only while the run's
        rates are awaited (they are shown when they come)."""
        self._stepping = False
        self.state.stop()
        if not self.state.poll():
            self._stop_driver()

    def _on_left(self):
        """The page is gone: nothing more is shown, so nothing more is computed for it; a page that
        comes back finds the run paused."""
        self.play.value = False  # (which pauses: _on_play)
        self._stepping = False
        self.state.stop()
        self._stop_driver()

    @param.depends("state.steps_done")
    def _percent(self):
        return round(100 * self.state.progress)

    # --- plots: drawn once, then fed -------------------------------------------------------------
    def _make_plots(self):
        """The four plots with their layers (keys as :meth:`_points` fills them), empty."""
        steps = (0, self.state.n_steps)
        return {
            "accuracy": Plot(MEMORY_LAYERS, "Test accuracy while training", "Training step",
                             "Test accuracy (-)", x_range=steps, y_range=(0.4, 1.0), legend_columns=2,
                             describe=partial(self.say_latest, layers=MEMORY_LAYERS, what="test accuracies")),
            "loss": Plot(MEMORY_LAYERS, "Test log-loss", "Training step", "Test log-loss (nats)",
                         x_range=steps, legend_columns=2,
                         describe=partial(self.say_latest, layers=MEMORY_LAYERS, what="test log-losses")),
            "weights": Plot(WEIGHT_LAYERS, "Weights (FN-DAM thick, float thin)", "Training step",
                            "Weight (-)", x_range=steps, legend_columns=2,
                            describe=partial(self.say_latest, layers=WEIGHT_LAYERS, what="weights")),
            "updates": Plot(UPDATE_LAYERS, "Update size (self-annealing)", "Training step",
                            "Update size relative to the first (-)", y_log=True, x_range=steps,
                            describe=self.say_updates),
        }

    def say_latest(self, data, layers, what):
        """A streamed plot in one sentence: the last value of each curve, at the last step drawn."""
        drawn = [key for key in layers if len(data[key]["x"])]
        if not drawn:
            return f"No steps yet: {what} appear as the run plays."
        step = max(data[key]["x"][-1] for key in drawn)
        values = "; ".join(f"{layers[key].label}: {number(data[key]['y'][-1])}" for key in drawn)
        return f"At step {step:,.0f} of {self.state.n_steps:,}, {what}: {values}."

    def say_updates(self, data):
        """The update-size plot in one sentence: the measured sizes now, and where the schedules end."""
        measured = {key: UPDATE_LAYERS[key] for key in ("fndam", "float")}
        schedules = [key for key in UPDATE_LAYERS if key.startswith("schedule") and len(data[key]["x"])]
        ends = "; ".join(f"{UPDATE_LAYERS[key].label} ends at {number(data[key]['y'][-1])}"
                         for key in schedules)
        return (self.say_latest(data, measured, "update sizes relative to the first")
                + (f" Over the whole run, {ends}." if ends else ""))

    def _points(self, since):
        """Plot -> layer key -> (step, value) arrays of the steps after ``since`` (the pulse schedule,
        which spans the whole run, aside)."""
        curves, traces, sizes = (self.state.curves(since), self.state.weight_traces(since),
                                 self.state.update_sizes(since))
        return {"accuracy": {name: (c["step"], c["accuracy"]) for name, c in curves.items()},
                "loss": {name: (c["step"], c["loss"]) for name, c in curves.items()},
                "weights": {f"{weight}-{mem}": (t["step"], t["w"][:, i]) for mem, t in traces.items()
                            for i, weight in enumerate(WEIGHT_NAMES)},
                "updates": {name: (s["step"], s["relative"]) for name, s in sizes.items()}}

    def _draw(self):
        """Show ``steps_done``: stream the steps the plots lack, or redraw them whole for another run, a
        step count that went back, or a run whose rates have just come (empty until then)."""
        run, steps = self.state.run, self.state.steps_done
        shown_run, shown_steps = self._shown
        if not self.state.ready():  # asked for (served): the callback shows the run when they come
            empty = (np.array([]), np.array([]))
            for plot in self.plots.values():
                plot.update(dict.fromkeys(plot.sources, empty), x_range=(0, run.n_steps))
            self._shown = (None, 0)
            self._start_driver()
        elif run is shown_run and steps >= shown_steps:
            for name, points in self._points(shown_steps).items():
                self.plots[name].append(points)
            self._shown = (run, steps)
        else:
            points = self._points(0)
            schedule = self.state.pulse_schedule()
            points["updates"].update({f"schedule-{name}": (schedule["step"], schedule[name])
                                      for name in ("fndam", "float")})
            for name, layers in points.items():
                self.plots[name].update(layers, x_range=(0, run.n_steps))
            self._shown = (run, steps)

    @param.depends("state.steps_done")
    def summary(self):
        if not self.state.ready():
            return (f"**Step {self.state.steps_done:,} of {self.state.n_steps:,}**  \n"
                    "Searching each memory's learning rate…")
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
    #: What a CSV says when asked for before the run's learning rates have come from the worker.
    NOT_READY_CSV = to_csv({"step": []}, {"note": "the learning rates are still being searched; "
                                                  "download again in a moment"})

    def curves_csv(self):
        if not self.state.ready():
            return self.NOT_READY_CSV
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
        if not self.state.ready():
            return self.NOT_READY_CSV
        traces = self.state.weight_traces()
        columns = {"step": traces["float"]["step"]}
        for mem, data in traces.items():
            for i in range(data["w"].shape[1]):
                columns[f"{mem}_w{i + 1}"] = data["w"][:, i]
        return to_csv(columns, {"task": self.state.task, "note": "last column of each memory is the bias"})
