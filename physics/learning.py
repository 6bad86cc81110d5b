"""Online training of a logistic classifier with three kinds of weight memory side by side, compared
fairly (docs/science.md section 4).

* ``float``: ideal float SGD with the 1/t learning rate eta_k = eta0 k0 / (k0 + k);
* ``fndam``: a :class:`physics.synapse.SynapseArray`; the learner asks for eta0 x (-gradient) and the
  device physics shrinks the pulses ~1/age, which is the same schedule with k0 = start_age / step_seconds
  (docs/science.md section 4).  Pulse widths are on the array's clock (``pulse_min_width``,
  ``pulse_resolution``): updates too small for it are dropped, pulses longer than a step are clipped, and
  the array counts both; the readout adds noise and ADC quantisation;
* ``static-<b>bit``: a symmetric fixed-point memory of b bits over [-weight_range, weight_range],
  written with the float schedule and rounded stochastically (the default: up or down at random with
  the probabilities that make the stored value unbiased, so small updates survive on average) or to the
  nearest level (updates below half a level are lost).  By default it is read with the same readout
  noise as the FN-DAM array, in weight units (a fair readout); ``static_read_noise=False`` reads it
  exactly, as a digital memory.

A fair comparison:

* every memory sees the same samples in the same order, one sample per step (batch size 1);
* each memory's eta0 is chosen by the same search (:func:`search_learning_rate`): every rate of
  :data:`RATE_GRID` is trained on the first 80 % of the training stream and the one with the lowest
  final log-loss on the held-out last 20 % is kept (the test set is never used);
* every memory's update energy is priced at one level of the memory hierarchy
  (:data:`physics.energy.BASELINES`): float and static words of 32 and b bits written (and read, when
  reads are charged) at the baseline's energy per bit; FN-DAM with :func:`physics.energy.update_energy_parts`:
  tunneled charge, pulse drive and, when reads are charged, one ADC conversion per read.

What the FN-DAM memory computes: z = exp(k2/V) is a linear clock, so a pulse shifts z_minus - z_plus
for good, while the read-out difference is ~(V^2/k2)(z_minus - z_plus)/(k1 t).  A request at age t_j
therefore delivers ~dw t0/t_j and then decays as t_j/t, so w(t) ~ (t0/t) sum_j dw_j
= -eta0 k0/(k0 + k) sum_j g_j: a running average of the gradients (dual averaging), whose fixed point
is the L2-regularised optimum with lambda = 1/(eta0 k0), while float SGD with the same 1/t schedule
heads for the unregularised one.  With k0 = 100 s / 0.1 s = 1000, the grid's rates give:

>>> from physics.learning import RATE_GRID
>>> [round(1.0 / (eta0 * 1000), 4) for eta0 in RATE_GRID]
[0.1, 0.0333, 0.01, 0.0033, 0.001]

The run is a :class:`LearningRun` that the dashboard advances a chunk of steps at a time; :func:`train`
runs it to the end.  What it records goes into a :class:`RunRecord` (per step, before pricing), which
can be copied in chunks to another process and priced there with :func:`unit_energies`; its
:class:`RunInfo` says what the run is (rates, word sizes, level spacing) without its memories.
"""

import functools
from typing import NamedTuple

import numpy as np

from physics.energy import (
    ADC_BITS,
    ADC_FOM,
    BASELINES,
    DRIVE_MODELS,
    baseline_update_energy,
    check_flag,
    update_energy_parts,
)
from physics.fndam import FNDAMDevice
from physics.synapse import SynapseArray, SynapseParameters
from physics.validation import check_choice, check_positive, check_range

TASKS = ("2d", "64d")
#: The learning rates eta0 every memory's search tries (docs/science.md section 4): five, a factor
#: ~sqrt(10) apart, around the float-SGD optimum of both tasks.
RATE_GRID = (0.01, 0.03, 0.1, 0.3, 1.0)
#: Fraction of the training stream (its end) held out to choose a learning rate.
VALIDATION_FRACTION = 0.2
STATIC_BITS = tuple(range(2, 33))  #: allowed resolutions of a static memory [bits]
ROUNDINGS = ("stochastic", "nearest")  #: how a static memory rounds a write to its levels (default first)
_TEST_SAMPLES = 2000
_FLOAT_BITS = 32  #: bits of one float weight (plain SGD moves one 32-bit word per update)


class Task(NamedTuple):
    """A synthetic binary classification task; features include a constant 1 for the bias."""

    name: str
    x_train: np.ndarray  #: (n_steps, d + 1)
    y_train: np.ndarray  #: (n_steps,) in {0, 1}
    x_test: np.ndarray  #: (2000, d + 1)
    y_test: np.ndarray  #: (2000,)
    #: (d + 1,) weights of the ideal rule, bias last: the Bayes classifier's log-odds 2 mu.x ("2d") or
    #: the teacher's 3 u.x ("64d").
    reference: np.ndarray


def make_task(task="2d", n_samples=2000, seed=0):
    """Generate a synthetic task in code (fixed seed, so every memory sees the same data).

    * ``"2d"``: two Gaussian classes with unit covariance and means +-(1, 0.5): overlapping, the Bayes
      accuracy is Phi(|mu|) = 0.868 (see the example).
    * ``"64d"``: x ~ N(0, I_64), labels from a logistic teacher y ~ Bernoulli(sigmoid(3 u.x)), |u| = 1,
      so the teacher itself scores E[sigmoid(3 |u.x|)] = 0.836 on average (label noise; see the
      example).

    Parameters
    ----------
    task : {"2d", "64d"}
        Which task.
    n_samples : int
        Training samples (one per step), in [1, 1e6].
    seed : int
        Random seed.

    Returns
    -------
    Task

    Examples
    --------
    >>> import math
    >>> round(0.5 * (1.0 + math.erf(math.hypot(1.0, 0.5) / math.sqrt(2.0))), 3)  # Bayes, "2d"
    0.868
    >>> import numpy as np
    >>> z = np.linspace(-10.0, 10.0, 20001)  # u.x ~ N(0, 1)
    >>> density = np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    >>> round(float(np.trapezoid(density * _sigmoid(3.0 * np.abs(z)), z)), 3)  # teacher, "64d"
    0.836
    >>> task = make_task("64d", 100)
    >>> task.x_train.shape, task.x_test.shape
    ((100, 65), (2000, 65))
    """
    check_choice("task", task, TASKS)
    n = int(check_range("n_samples", n_samples, 1, 1e6))
    return _make_task(task, n, seed)


@functools.lru_cache(maxsize=16)
def _make_task(task, n, seed):
    """:func:`make_task` without checks, cached (a rate search and its run share the data); the arrays
    are read-only so that no caller can change another's data."""
    rng = np.random.default_rng(seed)
    total = n + _TEST_SAMPLES
    if task == "2d":
        y = rng.integers(0, 2, total)
        x = rng.standard_normal((total, 2)) + np.where(y[:, None] == 1, 1.0, -1.0) * np.array([1.0, 0.5])
    else:
        u = rng.standard_normal(64)
        u /= np.linalg.norm(u)
        x = rng.standard_normal((total, 64))
        y = (rng.random(total) < _sigmoid(3.0 * x @ u)).astype(int)
    reference = np.append(2.0 * np.array([1.0, 0.5]) if task == "2d" else 3.0 * u, 0.0)
    x = np.hstack([x, np.ones((total, 1))])
    for array in (x, y, reference):
        array.flags.writeable = False
    return Task(task, x[:n], y[:n], x[n:], y[n:], reference)


def reference_accuracy(task="2d", n_steps=2000, seed=0):
    """Accuracy [-] of the ideal rule (the Bayes classifier for "2d", the teacher for "64d") on the test
    set of ``make_task(task, n_steps, seed)``: the ceiling a run's test accuracy is compared with.

    It differs from the population figures (0.868 and 0.836, :func:`make_task`) by the sampling of the
    2,000 test points (standard error ~0.008), so a learner can beat the population figure on one seed.

    Examples
    --------
    >>> [round(reference_accuracy(name), 3) for name in TASKS]
    [0.886, 0.846]
    """
    data = make_task(task, n_steps, seed)
    return float(_loss_and_accuracy(data.reference, data.x_test, data.y_test)[1])


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # tanh form: no overflow for large |z|


def _loss_and_accuracy(w, x, y):
    """Mean log-loss [nats] and accuracy of weights w on (x, y); w of shape (d,) or (r, d) (one row per
    candidate: arrays of r values)."""
    z = w @ x.T
    # log(1 + e^z) - y z, written with logaddexp to stay finite for large |z|.
    loss = np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)
    accuracy = np.mean((z > 0) == (y == 1), axis=-1)
    return (float(loss), float(accuracy)) if np.ndim(w) == 1 else (loss, accuracy)


# --- memories ------------------------------------------------------------------------------------
# Each holds weights of any shape: (n,) in a run, (rates, n) in a rate search (a candidate per row).
# ``write`` returns (words written or pulses applied, tunneling energy [J]) of the step.


class _FloatMemory:
    """Ideal float SGD: w <- w + eta_k / eta0 x request, eta_k = eta0 k0 / (k0 + k)."""

    bits = _FLOAT_BITS

    def __init__(self, shape, k0):
        self.w = np.zeros(shape)
        self.k0 = k0

    def read(self):
        return self.w

    def store(self, w):
        """What the memory keeps of ``w``: everything, for float."""
        return w

    def write(self, request, k):
        new = self.store(self.w + self.k0 / (self.k0 + k) * request)
        writes = np.count_nonzero(new != self.w, axis=-1)
        self.w = new
        return writes, 0.0


class _StaticMemory(_FloatMemory):
    """Symmetric fixed-point memory: levels i x step, |i| <= 2^(b-1) - 1, step = range / (2^(b-1) - 1).

    0 is a level, so the zero start is exact.  ``rng`` None rounds to nearest (as int8-style symmetric
    quantisation); a generator rounds stochastically: level floor(w/step + u), u ~ U[0, 1), whose mean
    is w itself (Gupta et al., "Deep learning with limited numerical precision", ICML 2015).  A read
    adds Gaussian noise of rms ``read_sigma`` [weight units] from ``read_rng`` (the FN-DAM readout's
    noise, for a fair readout); the stored levels are not changed by it.
    """

    def __init__(self, shape, k0, bits, weight_range, rng=None, read_sigma=0.0, read_rng=None):
        super().__init__(shape, k0)
        self.bits = bits
        self.max_level = 2 ** (bits - 1) - 1
        self.step = weight_range / self.max_level
        self.rng = rng
        self.read_sigma = read_sigma
        self.read_rng = read_rng

    def read(self):
        if not self.read_sigma:
            return self.w
        return self.w + self.read_sigma * self.read_rng.standard_normal(self.w.shape)

    def store(self, w):
        scaled = w / self.step
        level = np.round(scaled) if self.rng is None else np.floor(scaled + self.rng.random(scaled.shape))
        return np.clip(level, -self.max_level, self.max_level) * self.step


class _FNDAMMemory:
    """The synapse array: requests become pulses on the clock, the physics sets the step.  ``requests``
    counts the nonzero updates asked for (the array counts those it clipped or dropped)."""

    def __init__(self, shape, device, params, step_seconds, seed):
        self.shape = tuple(np.atleast_1d(shape))
        self.array = SynapseArray(int(np.prod(self.shape)), device, params, seed)
        self.step_seconds = step_seconds
        self.requests = 0

    def read(self):
        return self.array.read().reshape(self.shape)

    def write(self, request, k):
        self.requests += int(np.count_nonzero(request))
        before = self.array.pulses
        tunneling = self.array.update(np.ravel(request), self.step_seconds)
        return self.array.pulses - before, tunneling


def _static_rngs(seed, bits, rounding, read_sigma):
    """Rounding and read-noise generators of a static memory: its own streams, so the data order and the
    other memories stay as they are."""
    rounding_rng = np.random.default_rng([seed, bits]) if rounding == "stochastic" else None
    read_rng = np.random.default_rng([seed, bits, 2]) if read_sigma else None
    return rounding_rng, read_rng


# --- learning-rate search --------------------------------------------------------------------------


def _learn(memory, rate, x_stream, y_stream):
    """Train ``memory`` on the stream with eta0 ``rate`` (scalar, or a column of one per row)."""
    for k in range(x_stream.shape[0]):
        x, y = x_stream[k], y_stream[k]
        w = memory.read()
        memory.write(-rate * (_sigmoid(w @ x) - y)[..., None] * x, k)


@functools.lru_cache(maxsize=256)
def _search(spec, task, n_steps, seed, grid):
    """Validation losses of the grid's rates for the memory ``spec`` (a hashable description), cached:
    a run restarted with the same memory and data does not search again."""
    data = _make_task(task, n_steps, seed)
    n_val = int(n_steps * VALIDATION_FRACTION)
    n_fit = n_steps - n_val
    x_fit, y_fit = data.x_train[:n_fit], data.y_train[:n_fit]
    # A stream too short to split (fewer than 5 steps) is validated on itself.
    x_val, y_val = (data.x_train[n_fit:], data.y_train[n_fit:]) if n_val else (x_fit, y_fit)
    shape = (len(grid), data.x_train.shape[1])
    memory = _new_memory(spec, shape, seed)
    _learn(memory, np.array(grid)[:, None], x_fit, y_fit)
    loss, _ = _loss_and_accuracy(memory.read(), x_val, y_val)
    return tuple(float(v) for v in loss)


def _new_memory(spec, shape, seed):
    """A memory from its spec: ("float", k0), ("static", k0, bits, rounding, range, read_sigma) or
    ("fndam", device, params, step_seconds)."""
    kind = spec[0]
    if kind == "float":
        return _FloatMemory(shape, spec[1])
    if kind == "static":
        _, k0, bits, rounding, weight_range, read_sigma = spec
        rounding_rng, read_rng = _static_rngs(seed, bits, rounding, read_sigma)
        return _StaticMemory(shape, k0, bits, weight_range, rounding_rng, read_sigma, read_rng)
    _, device, params, step_seconds = spec
    return _FNDAMMemory(shape, device, params, step_seconds, seed)


class RateSearch(NamedTuple):
    """The result of one memory's learning-rate search."""

    rate: float  #: the chosen eta0 [-]
    grid: tuple  #: the rates tried [-]
    validation_loss: tuple  #: final validation log-loss of each [nats]


def search_learning_rate(spec, task="2d", n_steps=2000, seed=0, grid=RATE_GRID):
    """Choose eta0 for one memory by the search every memory gets (docs/science.md section 4).

    Each rate of ``grid`` is trained, side by side and from the same zero start, on the first
    1 - :data:`VALIDATION_FRACTION` (80 %) of the training stream of ``make_task(task, n_steps, seed)``,
    in its order, with the memory's own schedule; the rate with the lowest final log-loss on the held-out
    rest of the stream is chosen (ties: the smallest rate).  The test set is never used.  Results are
    cached per memory, task, steps and seed.

    Parameters
    ----------
    spec : tuple
        The memory: ``("float", k0)``, ``("static", k0, bits, rounding, weight_range, read_sigma)`` or
        ``("fndam", device, params, step_seconds)`` (:meth:`LearningRun.memory_specs` gives them).  An
        FN-DAM search trains one array of len(grid) x (d + 1) synapses, its own mismatch and noise.
    task : {"2d", "64d"}
    n_steps : int
        Steps of the run, in [1, 1e6].
    seed : int
    grid : tuple of float
        Rates tried, each in (0, 100].

    Returns
    -------
    RateSearch

    Examples
    --------
    Float SGD on the 2-D task (k0 = 1000): the final validation log-loss of each rate [nats], and the one
    chosen:

    >>> search = search_learning_rate(("float", 1000.0), "2d", 2000)
    >>> [round(loss, 3) for loss in search.validation_loss], search.rate
    ([0.36, 0.349, 0.352, 0.354, 0.374], 0.03)
    """
    check_choice("task", task, TASKS)
    n = int(check_range("n_steps", n_steps, 1, 1e6))
    grid = tuple(float(check_positive("grid", r, "", 100.0)) for r in grid)
    losses = _search(spec, task, n, seed, grid)
    return RateSearch(grid[int(np.argmin(losses))], grid, losses)


# --- the run ---------------------------------------------------------------------------------------


class Pricing(NamedTuple):
    """How update energy is priced (docs/science.md sections 4 and 5): one conventional level of the
    hierarchy for float and static words, device physics for FN-DAM, reads on both sides or neither."""

    baseline: str = "DDR DRAM"  #: a key of physics.energy.BASELINES
    count_reads: bool = True  #: charge one read of every weight per step, on every side
    drive: str = "supply"  #: FN-DAM pulse drive model, a key of physics.energy.DRIVE_MODELS
    adc_fom: float = ADC_FOM  #: Walden figure of merit of the FN-DAM readout [J per step]
    read_bits: int = ADC_BITS  #: ADC bits priced when the array's readout has no ADC (adc_bits = 0)

    def checked(self):
        check_choice("baseline", self.baseline, tuple(BASELINES))
        check_flag("count_reads", self.count_reads)
        check_choice("drive", self.drive, tuple(DRIVE_MODELS))
        check_positive("adc_fom", self.adc_fom, "J", 1e-12)
        check_range("read_bits", self.read_bits, 1, 24, "bits")
        return self


class LearningHistory(NamedTuple):
    """Per-step records of a run, for each memory name (arrays of length ``steps_done``)."""

    step: np.ndarray  #: step index 1..steps_done
    loss: dict  #: name -> test log-loss [nats] after each step
    accuracy: dict  #: name -> test accuracy [-] after each step
    energy: dict  #: name -> cumulative update energy [J], at the run's pricing
    weights: dict  #: name -> weights after each step, shape (steps_done, d + 1)


class RunRecord:
    """Per-step records of a run before pricing, in arrays allocated for the whole run and filled in
    order (``steps`` rows so far), for each memory name: test ``loss`` [nats] and ``accuracy`` [-],
    cumulative ``writes`` (words written, or pulses applied) and ``tunneling`` energy [J], and the
    ``weights`` after each step; and the FN-DAM array's cumulative ``counts`` (:data:`COUNTS`).

    A record of rows ``start + 1 .. start + steps`` of a run (:meth:`chunk`) is small and can be sent to
    another process, whose record of the same run takes it with :meth:`put`: a run computed in one
    process is shown in another, step by step.

    Parameters
    ----------
    names : tuple of str
        Memory names.
    n_steps : int
        Rows to allocate (the run's steps, or a chunk's).
    n_weights : int
        Weights per memory (features and bias).
    start : int
        Steps of the run before the first row (0 for a whole run).
    """

    COUNTS = ("requests", "pulses", "clipped", "dropped")

    def __init__(self, names, n_steps, n_weights, start=0):
        self.names, self.start, self.steps = tuple(names), start, 0
        self.loss = {name: np.zeros(n_steps) for name in self.names}
        self.accuracy = {name: np.zeros(n_steps) for name in self.names}
        self.writes = {name: np.zeros(n_steps, dtype=np.int64) for name in self.names}
        self.tunneling = {name: np.zeros(n_steps) for name in self.names}
        self.weights = {name: np.zeros((n_steps, n_weights)) for name in self.names}
        self.counts = np.zeros((n_steps, len(self.COUNTS)), dtype=np.int64)

    @property
    def end(self):
        """The run's step count up to which this record is filled."""
        return self.start + self.steps

    def _fields(self):
        return (self.loss, self.accuracy, self.writes, self.tunneling, self.weights)

    def chunk(self, since, until):
        """A copy of steps ``since + 1 .. until`` (``since`` < ``until`` <= :attr:`end`) as a record
        of its own (``start`` = ``since``)."""
        since = int(check_range("since", since, self.start, self.end))
        until = int(check_range("until", until, since, self.end))
        rows = slice(since - self.start, until - self.start)
        out = RunRecord(self.names, 0, 0, start=since)
        for mine, theirs in zip(self._fields(), out._fields(), strict=True):
            theirs.update({name: array[rows].copy() for name, array in mine.items()})
        out.counts, out.steps = self.counts[rows].copy(), until - since
        return out

    def put(self, chunk):
        """Write the rows of ``chunk`` (a :meth:`chunk` of the same run) into this record; it must
        start at or before :attr:`end` (records fill in order) and fit in the run."""
        check_range("chunk.start", chunk.start, self.start, self.end)
        check_range("chunk end", chunk.end, chunk.start, self.start + self.counts.shape[0])
        rows = slice(chunk.start - self.start, chunk.end - self.start)
        for mine, theirs in zip(self._fields(), chunk._fields(), strict=True):
            for name in self.names:
                mine[name][rows] = theirs[name]
        self.counts[rows] = chunk.counts
        self.steps = max(self.steps, chunk.end - self.start)

    def history(self, units, since=0, until=None):
        """Steps ``since + 1 .. until`` (default: all recorded) as a :class:`LearningHistory`, priced
        with ``units`` (:func:`unit_energies`).

        Energy is cumulative: writes x energy per write + reads x energy per read (one read of each
        weight per step) + tunneling (FN-DAM).  The arrays are views of the record (read them, do not
        change them).
        """
        until = self.end if until is None else int(check_range("until", until, self.start, self.end))
        since = int(check_range("since", since, self.start, until))
        rows = slice(since - self.start, until - self.start)
        step = np.arange(since + 1, until + 1)
        n = next(iter(self.weights.values())).shape[1]
        energy = {name: self.writes[name][rows] * units[name][0] + step * n * units[name][1]
                  + self.tunneling[name][rows] for name in self.names}
        loss, accuracy, _, _, weights = ({name: array[rows] for name, array in field.items()}
                                         for field in self._fields())
        return LearningHistory(step, loss, accuracy, energy, weights)

    def fndam_counts(self, step):
        """The FN-DAM array's counts (:data:`COUNTS`) after ``step`` steps (all 0 at step 0)."""
        step = int(check_range("step", step, self.start, self.end))
        values = self.counts[step - self.start - 1] if step > self.start else np.zeros(len(self.COUNTS))
        return {key: int(v) for key, v in zip(self.COUNTS, values, strict=True)}


class RunInfo(NamedTuple):
    """What a :class:`LearningRun` is, without its data, memories or records: small enough to send to
    another process with its :class:`RunRecord` chunks."""

    names: tuple  #: memory names
    learning_rates: dict  #: name -> eta0 used [-]
    searches: dict  #: name -> RateSearch of the memories whose rate was searched
    word_bits: dict  #: name -> bits of one word, None for the FN-DAM array (it is priced per pulse)
    level_steps: dict  #: static memory name -> spacing of its levels [weight units]
    read_sigma: float  #: rms read noise of a static memory [weight units]
    weight_range: float  #: range +-weight_range of the static memories [-]
    step_seconds: float  #: time between steps [s]
    n_weights: int  #: weights per memory (features and bias)


def unit_energies(word_bits, device, params, pricing):
    """Name -> (energy per write, energy per read) [J] of each memory of a run.

    A write is one word changed (float: 32 bits, static: b bits, at the baseline's energy per bit,
    :func:`physics.energy.baseline_update_energy`) or one FN-DAM pulse (its drive; the tunneled charge
    is counted pulse by pulse by the array).  A read is one word at the baseline, or one ADC conversion
    of the FN-DAM weight (:func:`physics.energy.update_energy_parts`); 0 when reads are not charged.

    Parameters
    ----------
    word_bits : dict
        Name -> bits of one word, None for the FN-DAM array (:attr:`RunInfo.word_bits`).
    device : FNDAMDevice
    params : SynapseParameters
        The array's pulse, start age and ADC (its ``adc_bits``, else ``pricing.read_bits``).
    pricing : Pricing
    """
    bits = params.adc_bits or pricing.read_bits
    parts = update_energy_parts(device, params.pulse_amplitude, params.reference_pulse_width,
                                params.start_age, bits, pricing.adc_fom, pricing.drive)
    out = {}
    for name, word in word_bits.items():
        if word is None:
            out[name] = (float(parts.drive), float(parts.readout) if pricing.count_reads else 0.0)
        else:
            energy = float(baseline_update_energy(pricing.baseline, bits_per_update=word))
            out[name] = (energy, energy if pricing.count_reads else 0.0)
    return out


class LearningRun:
    """Online logistic regression with float, FN-DAM and static memories, advanced in chunks.

    Parameters
    ----------
    task : {"2d", "64d"}
        Synthetic task (:func:`make_task`).
    n_steps : int
        Training steps (one sample each), in [1, 1e6].
    learning_rate : float or dict, optional
        eta0, the rate requested at step 0 [-], each in (0, 100]: one float for every memory, or a dict
        memory name -> rate (names left out are searched).  Default: each memory's own
        :func:`search_learning_rate` on the same grid.
    static_bits : tuple of int
        Resolutions of the static memories [bits], each in [2, 32].
    static_rounding : {"stochastic", "nearest"}
        How the static memories round a write to their levels.
    static_read_noise : bool
        Whether a static memory's read carries the FN-DAM readout noise, readout_noise / weight_scale in
        weight units (a fair readout, the default), or is exact.
    weight_range : float
        Range +-weight_range of the static memories [-], in (0, 1e3].  An open design choice: 4 covers
        the float solutions of both tasks.
    step_seconds : float
        Time between steps [s], in (0, 1e6]; with the array's start age it sets k0 = start_age / step
        (default 0.1 s and 100 s: k0 = 1000).
    device : FNDAMDevice, optional
        FN-DAM element (illustrative by default).
    params : SynapseParameters, optional
        Synapse array parameters, pulse clock included (illustrative by default).
    pricing : Pricing, optional
        How update energy is priced (DDR DRAM, reads charged, drive from the supply by default).
    seed : int
        Seed of the data and of the array's mismatch and noise.

    Attributes
    ----------
    names : tuple of str
        Memory names: "float", "fndam", "static-4bit", ...
    learning_rates : dict
        Name -> eta0 used.
    searches : dict
        Name -> :class:`RateSearch` for the memories whose rate was searched.
    steps_done : int
    done : bool
    """

    def __init__(self, task="2d", n_steps=2000, *, learning_rate=None, static_bits=(4, 6, 8),
                 static_rounding="stochastic", static_read_noise=True, weight_range=4.0, step_seconds=0.1,
                 device=None, params=None, pricing=None, seed=0):
        self.n_steps = int(check_range("n_steps", n_steps, 1, 1e6))
        self.task = make_task(task, self.n_steps, seed)
        self.static_bits = tuple(int(check_choice("static_bits", b, STATIC_BITS)) for b in static_bits)
        self.static_rounding = check_choice("static_rounding", static_rounding, ROUNDINGS)
        self.static_read_noise = check_flag("static_read_noise", static_read_noise)
        self.weight_range = float(check_positive("weight_range", weight_range, "", 1e3))
        self.step_seconds = float(check_positive("step_seconds", step_seconds, "s", 1e6))
        self.device = device or FNDAMDevice()
        self.params = params or SynapseParameters()
        self.pricing = (pricing or Pricing()).checked()
        self.seed = seed
        specs = self.memory_specs()
        self.names = tuple(specs)
        given = learning_rate if isinstance(learning_rate, dict) else (
            {} if learning_rate is None else dict.fromkeys(self.names, learning_rate))
        for name in given:
            check_choice("learning_rate", name, self.names)
        self.searches = {name: search_learning_rate(spec, task, self.n_steps, seed)
                         for name, spec in specs.items() if name not in given}
        self.learning_rates = {name: float(check_positive("learning_rate", given[name], "", 100.0))
                               if name in given else self.searches[name].rate for name in self.names}
        self.reset()

    @property
    def k0(self):
        """Schedule constant k0 = start_age / step_seconds [steps]."""
        return self.params.start_age / self.step_seconds

    @property
    def read_sigma(self):
        """RMS read noise of a static memory [weight units]: the FN-DAM readout's, or 0."""
        return self.params.readout_noise / self.params.weight_scale if self.static_read_noise else 0.0

    def memory_specs(self):
        """Name -> hashable description of each memory (what its rate search depends on)."""
        specs = {"float": ("float", self.k0),
                 "fndam": ("fndam", self.device, self.params, self.step_seconds)}
        for bits in self.static_bits:
            specs[f"static-{bits}bit"] = ("static", self.k0, bits, self.static_rounding, self.weight_range,
                                          self.read_sigma)
        return specs

    def reset(self):
        """Return to step 0 with fresh memories (same data, same seeds, same rates)."""
        n = self.task.x_train.shape[1]
        self.memories = {name: _new_memory(spec, (n,), self.seed)
                         for name, spec in self.memory_specs().items()}
        self.steps_done = 0
        self.record = RunRecord(self.names, self.n_steps, n)
        self._writes = dict.fromkeys(self.names, 0)
        self._tunneling = dict.fromkeys(self.names, 0.0)

    @property
    def done(self):
        return self.steps_done >= self.n_steps

    def advance(self, steps=1):
        """Run up to ``steps`` more training steps (fewer at the end); return how many ran.

        Each step: every memory is read (FN-DAM through its noisy readout, static memories with the same
        noise when ``static_read_noise``), the logistic gradient g = (sigmoid(w.x) - y) x of the step's
        sample is computed from what was read, and the request -eta0 g is written with the memory's own
        eta0.
        """
        steps = int(check_range("steps", steps, 0, 1e7))
        todo = min(steps, self.n_steps - self.steps_done)
        for _ in range(todo):
            k = self.steps_done
            x, y = self.task.x_train[k], self.task.y_train[k]
            for name, memory in self.memories.items():
                w = memory.read()
                writes, tunneling = memory.write(-self.learning_rates[name] * (_sigmoid(x @ w) - y) * x, k)
                self._writes[name] += int(writes)
                self._tunneling[name] += tunneling
                self._record(k, name, memory.read())
            counts = self.fndam_counts()
            self.record.counts[k] = [counts[key] for key in RunRecord.COUNTS]
            self.steps_done += 1
            self.record.steps = self.steps_done
        return todo

    def _record(self, k, name, w):
        rec = self.record
        rec.loss[name][k], rec.accuracy[name][k] = _loss_and_accuracy(w, self.task.x_test, self.task.y_test)
        rec.writes[name][k] = self._writes[name]
        rec.tunneling[name][k] = self._tunneling[name]
        rec.weights[name][k] = w

    def reprice(self, pricing):
        """Price the run with another :class:`Pricing` (the learning itself does not change)."""
        self.pricing = pricing.checked()

    def word_bits(self):
        """Name -> bits of one word of each memory (None for the FN-DAM array, priced per pulse)."""
        return {name: None if name == "fndam" else memory.bits for name, memory in self.memories.items()}

    def unit_energies(self):
        """Name -> (energy per write, energy per read) [J] at the run's pricing (:func:`unit_energies`)."""
        return unit_energies(self.word_bits(), self.device, self.params, self.pricing)

    def info(self):
        """The run's :class:`RunInfo`: what it is, without its data, memories or records."""
        levels = {name: memory.step for name, memory in self.memories.items()
                  if isinstance(memory, _StaticMemory)}
        return RunInfo(self.names, dict(self.learning_rates), dict(self.searches), self.word_bits(), levels,
                       self.read_sigma, self.weight_range, self.step_seconds, self.task.x_train.shape[1])

    def fndam_counts(self):
        """Updates of the FN-DAM array so far: nonzero ``requests``, ``pulses`` applied, and ``clipped``
        (cut to the step) and ``dropped`` (below the clock's minimum) by the array's pulse clock."""
        memory = self.memories["fndam"]
        return {"requests": memory.requests, "pulses": memory.array.pulses,
                "clipped": memory.array.clipped, "dropped": memory.array.dropped}

    def history(self, since=0):
        """Records of steps ``since + 1`` to ``steps_done`` as a :class:`LearningHistory` of arrays
        (:meth:`RunRecord.history` at the run's current pricing).

        Parameters
        ----------
        since : int
            Number of steps already fetched, in [0, steps_done]; 0 returns everything (a streaming UI
            passes what it has, and gets only the new steps).
        """
        return self.record.history(self.unit_energies(), since)


def train(task="2d", n_steps=2000, **kwargs):
    """Run a :class:`LearningRun` to the end and return its :class:`LearningHistory`.

    Keyword arguments are those of :class:`LearningRun`.
    """
    run = LearningRun(task, n_steps, **kwargs)
    run.advance(run.n_steps)
    return run.history()


def comparison_table(steps=None, seeds=(0, 1, 2), **kwargs):
    """Final test accuracy and chosen eta0 of every memory, per task and seed (default runs).

    Parameters
    ----------
    steps : dict, optional
        Task -> training steps; default 2000 (2-D) and 4000 (64-D, which needs more samples).
    seeds : tuple of int
    **kwargs
        Further arguments of :class:`LearningRun`.

    Returns
    -------
    list of dict
        One row per (task, seed): ``task``, ``seed``, ``accuracy`` and ``rate`` (name -> value), and
        the FN-DAM ``counts`` (:meth:`LearningRun.fndam_counts`).
    """
    rows = []
    for task, n in (steps or {"2d": 2000, "64d": 4000}).items():
        for seed in seeds:
            run = LearningRun(task, n, seed=seed, **kwargs)
            run.advance(n)
            accuracy = {name: float(a[-1]) for name, a in run.history().accuracy.items()}
            rows.append({"task": task, "seed": seed, "accuracy": accuracy, "rate": dict(run.learning_rates),
                         "counts": run.fndam_counts()})
    return rows


if __name__ == "__main__":  # python -m physics.learning: the table of docs/science.md section 4
    for row in comparison_table():
        cells = " | ".join(f"{name} {row['accuracy'][name]:.3f} (eta0 {row['rate'][name]:g})"
                           for name in row["accuracy"])
        c = row["counts"]
        print(f"{row['task']:3s} seed {row['seed']} | {cells} | FN-DAM clipped {c['clipped']}, dropped "
              f"{c['dropped']} of {c['requests']}")
