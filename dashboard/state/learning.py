"""View 4: a synapse array learning online, beside float SGD and fixed-precision memories, compared
fairly (docs/science.md section 4).

Shows a :class:`physics.learning.LearningRun` a chunk of steps at a time (play, pause, step, reset)
through a :class:`dashboard.state.runs.Playback`: the run is computed once per process for every session
with the same parameters, here (tests, notebooks) or by an executor that keeps the work off the server's
event loop (:attr:`LearningState.executor`); changing any parameter starts a fresh run. The FN-DAM
element is the session's (:meth:`dashboard.state.memory.MemoryState.element`: oxide, voltage,
temperature, area, capacitance), so changing the device restarts the run too. Mismatch, readout noise,
ADC resolution and the pulse clock are the array's :class:`physics.synapse.SynapseParameters`
(illustrative defaults). Every memory's learning rate comes from the same search
(:func:`physics.learning.search_learning_rate`, cached), and update energy is priced on the energy
view's basis (its baseline, reads, drive and ADC figure of merit): changing those reprices the run
without restarting it.
"""

import dataclasses

import numpy as np
import param

from dashboard.state import runs
from dashboard.state.energy import DRIVES, EnergyState
from dashboard.state.memory import MemoryState
from physics import fndam, learning, synapse
from physics.energy import BASELINES

#: Memory name -> legend label.
LABELS = {"float": "Float SGD (1/t rate)", "fndam": "FN-DAM synapse array",
          "static-4bit": "Static 4-bit", "static-6bit": "Static 6-bit", "static-8bit": "Static 8-bit"}
TASKS = {"2d": "2-D Gaussian classes", "64d": "64-D logistic teacher"}
#: Weights drawn in the trajectory plot (the first few; the last is the bias).
TRACED_WEIGHTS = 3
#: Steps averaged in the update-size plot (a single step's |dw| is dominated by its sample).
SMOOTHING = 25


class LearningState(param.Parameterized):
    """One online-learning run, shown up to ``steps_done``; a new run whenever a parameter of the run
    or of the session's element changes.

    ``executor`` (a ``concurrent.futures`` executor, None by default) computes the run: None computes
    here, and :meth:`advance` returns once the steps are shown; with one (the server's process pool),
    :meth:`advance` and :meth:`ready` return at once and say whether the steps (or the run's rates) are
    here yet, and :meth:`poll` announces the rates when they come.
    """

    memory = param.ClassSelector(class_=MemoryState, constant=True,
                                 doc="The session's FN-DAM element (oxide, voltage, temperature, area, "
                                     "capacitance): the synapse array is made of it.")
    energy = param.ClassSelector(class_=EnergyState, constant=True,
                                 doc="The session's energy basis (baseline, reads, drive, ADC figure of "
                                     "merit): every memory's update energy is priced with it.")

    task = param.Selector(objects=list(TASKS), default="2d", label="Task",
                          doc="2d: two overlapping Gaussian classes (Bayes accuracy 0.868 in the "
                              "population). 64d: labels from a noisy logistic teacher in 64 dimensions "
                              "(the teacher scores 0.836). The summary gives both on this run's test set.",
                          metadata={"url": "task"})
    n_steps = param.Integer(2000, bounds=(100, 10000), step=100, label="Training steps (samples)",
                            doc="Online steps, one sample each (batch size 1), the same order for "
                                "every memory.", metadata={"url": "steps"})
    k1_spread_pct = param.Number(2.0, bounds=(0.0, 50.0), step=0.5, label="Mismatch of k1 (% rms)",
                                 doc="Element-to-element spread of k1 (junction area, capacitance). "
                                     "2 % is illustrative.", metadata={"url": "k1mm"})
    k2_spread_pct = param.Number(0.1, bounds=(0.0, 10.0), step=0.05, label="Mismatch of k2 (% rms)",
                                 doc="Element-to-element spread of k2 = B d (oxide thickness, barrier). "
                                     "0.1 % is illustrative.", metadata={"url": "k2mm"})
    readout_noise_uV = param.Number(100.0, bounds=(0.0, 10000.0), step=10.0,
                                    label="Readout noise (µV rms)",
                                    doc="Noise of one differential readout of a synapse. 100 µV is "
                                        "illustrative; the kT/C noise of 100 fF is 200 µV.",
                                    metadata={"url": "noise"})
    adc_bits = param.Integer(12, bounds=(0, 24), step=1, label="Readout ADC resolution (bits, 0 = none)",
                             doc="Resolution of the converter that reads the differential voltage "
                                 "over +-0.5 V; 0 reads it exactly.", metadata={"url": "adc"})
    pulse_min_width_us = param.Number(
        1.0, bounds=(0.0, 100000.0), step=1.0, label="Shortest programming pulse (µs)",
        doc="The programming clock's minimum pulse width: requests below half of it are dropped, those "
            "between half of it and it get it. 1 µs is illustrative; one step is 0.1 s (100,000 µs).",
        metadata={"url": "pmin"})
    pulse_resolution_us = param.Number(
        1.0, bounds=(0.0, 100000.0), step=1.0, label="Programming clock tick (µs, 0 = continuous)",
        doc="Pulse widths are whole ticks of this clock (rounded to nearest); a pulse longer than the "
            "0.1 s step is clipped to it. 1 µs is illustrative.", metadata={"url": "ptick"})
    static_rounding = param.Selector(
        objects=list(learning.ROUNDINGS), default="stochastic", label="Static memory rounding",
        doc="How the 4/6/8-bit memories round a write to their levels: stochastic (up or down at random, "
            "unbiased: small updates survive on average) or nearest (updates below half a level are "
            "lost).", metadata={"url": "round"})
    static_read_noise = param.Boolean(
        True, label="Static memories read with the readout noise",
        doc="On (a fair readout): each read of a static memory carries the FN-DAM readout noise, in weight "
            "units (noise / 10 mV per unit weight). Off: static memories are read exactly, as digital "
            "words.", metadata={"url": "sread"})
    seed = param.Integer(0, bounds=(0, 9999), step=1, label="Random seed (-)",
                         doc="Seed of the data, the mismatch and the noise: one seed, one run.",
                         metadata={"url": "seed"})
    steps_per_tick = param.Integer(100, bounds=(1, 1000), step=1, label="Steps per plot update (-)",
                                   doc="How many training steps run between two redraws while playing.",
                                   metadata={"url": None})  # the pace of one screen, not a result to share

    steps_done = param.Integer(0, bounds=(0, None), constant=True, label="Steps done (-)",
                               doc="Training steps run so far (set by advance and reset, not by the user).")

    def __init__(self, memory=None, energy=None, **params):
        memory = memory or MemoryState()
        super().__init__(memory=memory, energy=energy or EnergyState(memory), **params)
        self.executor = None
        self._run = None
        self._awaiting_rates = False
        self.reset()

    @property
    def run(self):
        """This session's :class:`dashboard.state.runs.Playback` of the run, made on first use after a
        reset: a device or memory change costs nothing here until something looks at learning.  Nothing
        is computed until asked for (:meth:`ready`, :meth:`advance`)."""
        if self._run is None:
            self._run = runs.Playback(runs.recording(self.spec()), self.pricing())
        return self._run

    def spec(self):
        """The :class:`dashboard.state.runs.RunSpec` of the run these parameters and the session's
        element define."""
        return runs.RunSpec(self.task, self.n_steps, self.memory.element(), self.synapse_parameters(),
                            self.static_rounding, self.static_read_noise, self.seed)

    def ready(self):
        """True once the run's learning rates are searched (its summary can be shown).  Without an
        executor they are searched here; with one they are asked for and this is False until they come
        (:meth:`poll` announces them)."""
        ready = self.run.prepare(self.executor)
        self._awaiting_rates = not ready
        return ready

    def poll(self):
        """Take what the executor computed meanwhile; announce ``steps_done`` once the rates that
        :meth:`ready` asked for have come.  Return True while they are still awaited."""
        if self._awaiting_rates and self.run.prepare(self.executor):
            self._awaiting_rates = False
            self.param.trigger("steps_done")
        return self._awaiting_rates

    def _searched(self):
        """The run, once its rates are here (searched here without an executor); what the plots and the
        summary read needs them."""
        if not self.ready():
            raise RuntimeError("the run's learning rates are still being searched; see ready()")
        return self.run

    def history(self, since=0):
        """Steps ``since + 1 .. steps_done`` of the run as a :class:`physics.learning.LearningHistory`."""
        return self._searched().history(since)

    def synapse_parameters(self):
        """The array's parameters from this state (others at their illustrative defaults)."""
        return dataclasses.replace(
            synapse.SynapseParameters(), k1_spread=self.k1_spread_pct / 100.0,
            k2_spread=self.k2_spread_pct / 100.0, readout_noise=self.readout_noise_uV * 1e-6,
            adc_bits=self.adc_bits, pulse_min_width=self.pulse_min_width_us * 1e-6,
            pulse_resolution=self.pulse_resolution_us * 1e-6)

    def pricing(self):
        """The energy view's pricing basis as a :class:`physics.learning.Pricing`: its baseline, whether
        reads are charged, the drive model and the ADC figure of merit (and its ADC bits, for a readout
        without ADC)."""
        e = self.energy
        return learning.Pricing(baseline=e.baseline, count_reads=e.count_reads, drive=DRIVES[e.drive],
                                adc_fom=e.adc_fom_fJ * 1e-15, read_bits=e.adc_bits)

    @param.depends("task", "n_steps", "k1_spread_pct", "k2_spread_pct", "readout_noise_uV", "adc_bits",
                   "pulse_min_width_us", "pulse_resolution_us", "static_rounding", "static_read_noise",
                   "seed", watch=True)
    def reset(self):
        """Start a fresh run at step 0 with the current parameters and the session's element (made when
        first read, see :attr:`run`); the old one's pending work is released."""
        self.stop()
        self._run = None
        self._publish(0)

    def stop(self):
        """Stop waiting for the run's steps (pause, reset, a closed page): work asked for and not
        started is cancelled unless another session waits for it."""
        if self._run is not None:
            self._run.stop()

    @param.depends("memory.param", "memory.device.param", watch=True)
    def _element_changed(self):
        """A memory or device control moved: restart if the element the array is made of changed (the
        image force, a plot spacing or a retention criterion leave it as it is)."""
        if self._run is not None and self.memory.element() != self._run.device:
            self.reset()

    @param.depends("energy.baseline", "energy.count_reads", "energy.drive", "energy.adc_fom_fJ",
                   "energy.adc_bits", watch=True)
    def _reprice(self):
        """The energy basis changed: same run, new prices (the plots and summary are told)."""
        if self._run is not None:
            self._run.reprice(self.pricing())
            self.param.trigger("steps_done")

    def advance(self, steps=None):
        """Show ``steps`` more steps (default ``steps_per_tick``); return how many (0 when done), or None
        while the executor computes them (nothing changes: call again, e.g. on the next tick)."""
        ran = self.run.advance(self.steps_per_tick if steps is None else steps, self.executor)
        if ran is not None:
            self._publish()
        return ran

    def _publish(self, steps=None):
        """Mirror the run's step count (or ``steps``) in ``steps_done``; notify once even when it did not
        change (a reset at step 0 still has new parameters to draw)."""
        steps = self.run.steps_done if steps is None else steps
        if self.steps_done == steps:
            self.param.trigger("steps_done")
            return
        with param.edit_constant(self):
            self.steps_done = steps

    @property
    def done(self):
        """True once the run has made all its steps."""
        return self.run.done

    @property
    def progress(self):
        """Fraction of the run done, in [0, 1]."""
        return self.run.steps_done / self.run.n_steps

    def curves(self, since=0):
        """Per memory: ``step``, test ``loss`` [nats], ``accuracy`` [-] and update ``energy`` [J], of
        the steps after ``since``."""
        hist = self.history(since)
        return {name: {"step": hist.step, "loss": hist.loss[name], "accuracy": hist.accuracy[name],
                       "energy": hist.energy[name]} for name in self.run.names}

    def weight_traces(self, since=0):
        """Weights against step for float SGD and FN-DAM, of the steps after ``since``:
        ``{name: {"step", "w": (steps, k)}}``."""
        hist = self.history(since)
        keep = [*range(TRACED_WEIGHTS - 1), -1]  # the first weights and the bias
        return {name: {"step": hist.step, "w": hist.weights[name][:, keep]} for name in ("float", "fndam")}

    def update_sizes(self, since=0):
        """Mean |dw| per step, smoothed over SMOOTHING steps, for float SGD and FN-DAM: ``dw`` and
        ``relative`` to the first (steps where nothing moved left out).

        Both shrink ~1/t: float SGD by its schedule, FN-DAM by the device physics (the same pulse
        moves a wider barrier less), which is the self-annealing the paper describes.  Steps up to
        ``since`` are left out of the result (not of the smoothing).
        """
        hist = self.history()
        out = {}
        for name in ("float", "fndam"):
            w = hist.weights[name]
            smooth = np.array([])  # fewer steps than the window: nothing to show yet
            if w.shape[0] > SMOOTHING:
                dw = np.mean(np.abs(np.diff(w, axis=0)), axis=1)
                smooth = np.convolve(dw, np.ones(SMOOTHING) / SMOOTHING, mode="valid")
            moved = smooth > 0  # a log axis has no place for steps that moved nothing
            step, size = hist.step[SMOOTHING:][moved], smooth[moved]
            relative = size / size[0] if size.size else size
            new = step > since
            out[name] = {"step": step[new], "dw": size[new], "relative": relative[new]}
        return out

    def pulse_schedule(self):
        """Relative update of one reference pulse against step: the device's built-in schedule.

        ``fndam``: pulse_update(age) / pulse_update(start age) for the run's element and pulse, age =
        start_age + step x step_seconds; ``float``: the float learner's k0 / (k0 + k).  Both fall as
        ~1/t with k0 = start_age / step_seconds: the physics supplies the learning-rate schedule.
        """
        run = self._searched()
        steps = np.arange(run.n_steps + 1, dtype=float)
        ages = run.params.start_age + steps * run.step_seconds
        pulse = np.abs(fndam.pulse_update(ages, run.device, run.params.pulse_amplitude,
                                          run.params.reference_pulse_width))
        k0 = run.params.start_age / run.step_seconds
        return {"step": steps, "fndam": pulse / pulse[0], "float": k0 / (k0 + steps)}

    def summary(self):
        """Final (so far) accuracy, update energy [J] and chosen learning rate per memory, the progress,
        the ``element`` the array is made of (the session's), the FN-DAM array's update counts (requests,
        pulses, clipped, dropped), the pricing basis (with its baseline's ``baseline_J_per_bit``) with
        each memory's energy per write and per read [J], and how the static memories round and read
        (``weight_range``, the 4-bit memory's ``level_step_4bit`` and ``read_sigma``, in weight units)."""
        curves = self.curves(max(0, self.steps_done - 1))  # the last step only
        run = self.run
        units = run.unit_energies()
        last = {name: {"accuracy": float(c["accuracy"][-1]) if c["step"].size else float("nan"),
                       "energy_J": float(c["energy"][-1]) if c["step"].size else 0.0,
                       "rate": run.learning_rates[name], "write_J": units[name][0], "read_J": units[name][1]}
                for name, c in curves.items()}
        return {"steps_done": run.steps_done, "n_steps": run.n_steps, "progress": self.progress,
                "done": run.done, "memories": last, "element": run.device, "fndam_counts": run.fndam_counts(),
                "pricing": run.pricing, "rate_grid": learning.RATE_GRID,
                "baseline_J_per_bit": BASELINES[run.pricing.baseline].energy_per_bit,
                "static_rounding": run.static_rounding, "static_read_noise": run.static_read_noise,
                "read_sigma": run.read_sigma, "weight_range": run.weight_range,
                "level_step_4bit": run.info.level_steps["static-4bit"],
                "reference_accuracy": learning.reference_accuracy(self.task, self.n_steps, self.seed)}
