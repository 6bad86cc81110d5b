"""Online training of a logistic classifier with three kinds of weight memory side by side.

* ``float``: ideal float SGD with the 1/t learning rate eta_k = eta0 k0 / (k0 + k);
* ``fndam``: a :class:`physics.synapse.SynapseArray`; the learner asks for eta0 x (-gradient) and the
  device physics shrinks the pulses ~1/age, which is the same schedule with k0 = start_age / step_seconds
  (docs/science.md section 4); the readout adds noise and ADC quantisation;
* ``static-<b>bit``: a symmetric fixed-point memory of b bits over [-weight_range, weight_range],
  written with the float schedule and rounded to the nearest level (updates below half a level are
  lost) or, with ``static_rounding="stochastic"``, up or down at random with the probabilities that
  make the stored value unbiased (small updates survive on average).

What the FN-DAM memory computes: z = exp(k2/V) is a linear clock, so a pulse shifts z_minus - z_plus
for good, while the read-out difference is ~(V^2/k2)(z_minus - z_plus)/(k1 t).  A request at age t_j
therefore delivers ~dw t0/t_j and then decays as t_j/t, so w(t) ~ (t0/t) sum_j dw_j
= -eta0 k0/(k0 + k) sum_j g_j: a running average of the gradients (dual averaging), whose fixed point
is the L2-regularised optimum with lambda = 1/(eta0 k0), while float SGD with the same 1/t schedule
heads for the unregularised one.  With the defaults (k0 = 100 s / 0.1 s = 1000) lambda is 0.01 (2-D)
and 0.033 (64-D):

>>> from physics.learning import LEARNING_RATES
>>> {task: round(1.0 / (eta0 * 1000), 3) for task, eta0 in LEARNING_RATES.items()}
{'2d': 0.01, '64d': 0.033}

Every memory sees the same samples in the same order, one sample per step (batch size 1).  The run is a
:class:`LearningRun` that the dashboard advances a chunk of steps at a time; :func:`train` runs it to the
end.  Update energy: float weights are 32-bit words through DRAM, static weights b bits in SRAM (both
from the technology table, counted only for words that change), FN-DAM from the device physics.
"""

from typing import NamedTuple

import numpy as np

from physics.energy import conventional_update_energy, write_energy
from physics.fndam import FNDAMDevice
from physics.synapse import SynapseArray, SynapseParameters
from physics.validation import check_choice, check_positive, check_range

TASKS = ("2d", "64d")
#: Default eta0 per task, the best float-SGD rate of {0.03, 0.1, 0.3, 1} on seeds 0-2 with k0 = 1000
#: (64-D needs a smaller rate: a step moves w.x by eta0 |x|^2 ~ 65 eta0).
LEARNING_RATES = {"2d": 0.1, "64d": 0.03}
STATIC_BITS = tuple(range(2, 33))  #: allowed resolutions of a static memory [bits]
ROUNDINGS = ("nearest", "stochastic")  #: how a static memory rounds a write to its levels
_TEST_SAMPLES = 2000


class Task(NamedTuple):
    """A synthetic binary classification task; features include a constant 1 for the bias."""

    name: str
    x_train: np.ndarray  #: (n_steps, d + 1)
    y_train: np.ndarray  #: (n_steps,) in {0, 1}
    x_test: np.ndarray  #: (2000, d + 1)
    y_test: np.ndarray  #: (2000,)


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
    x = np.hstack([x, np.ones((total, 1))])
    return Task(task, x[:n], y[:n], x[n:], y[n:])


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # tanh form: no overflow for large |z|


def _loss_and_accuracy(w, x, y):
    """Mean log-loss [nats] and accuracy of weights w on (x, y)."""
    z = x @ w
    # log(1 + e^z) - y z, written with logaddexp to stay finite for large |z|.
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(loss), float(np.mean((z > 0) == (y == 1)))


class _FloatMemory:
    """Ideal float SGD: w <- w + eta_k / eta0 x request, eta_k = eta0 k0 / (k0 + k)."""

    def __init__(self, n, k0):
        self.w = np.zeros(n)
        self.k0 = k0
        self.update_energy = conventional_update_energy(32, 1, write_energy("DRAM"))

    def read(self):
        return self.w

    def store(self, w):
        """What the memory keeps of ``w``: everything, for float."""
        return w

    def write(self, request, k):
        new = self.store(self.w + self.k0 / (self.k0 + k) * request)
        energy = self.update_energy * np.count_nonzero(new != self.w)
        self.w = new
        return energy


class _StaticMemory(_FloatMemory):
    """Symmetric fixed-point memory: levels i x step, |i| <= 2^(b-1) - 1, step = range / (2^(b-1) - 1).

    0 is a level, so the zero start is exact.  ``rng`` None rounds to nearest (as int8-style symmetric
    quantisation); a generator rounds stochastically: level floor(w/step + u), u ~ U[0, 1), whose mean
    is w itself (Gupta et al., "Deep learning with limited numerical precision", ICML 2015).
    """

    def __init__(self, n, k0, bits, weight_range, rng=None):
        super().__init__(n, k0)
        self.max_level = 2 ** (bits - 1) - 1
        self.step = weight_range / self.max_level
        self.rng = rng
        self.update_energy = conventional_update_energy(bits, 1, write_energy("SRAM"))

    def store(self, w):
        scaled = w / self.step
        level = np.round(scaled) if self.rng is None else np.floor(scaled + self.rng.random(scaled.shape))
        return np.clip(level, -self.max_level, self.max_level) * self.step


class _FNDAMMemory:
    """The synapse array: requests become pulses, the physics sets the step."""

    def __init__(self, n, device, params, step_seconds, seed):
        self.array = SynapseArray(n, device, params, seed)
        self.step_seconds = step_seconds

    def read(self):
        return self.array.read()

    def write(self, request, k):
        return self.array.update(request, self.step_seconds)


class LearningHistory(NamedTuple):
    """Per-step records of a run, for each memory name (arrays of length ``steps_done``)."""

    step: np.ndarray  #: step index 1..steps_done
    loss: dict  #: name -> test log-loss [nats] after each step
    accuracy: dict  #: name -> test accuracy [-] after each step
    energy: dict  #: name -> cumulative update energy [J]
    weights: dict  #: name -> weights after each step, shape (steps_done, d + 1)


class LearningRun:
    """Online logistic regression with float, FN-DAM and static memories, advanced in chunks.

    Parameters
    ----------
    task : {"2d", "64d"}
        Synthetic task (:func:`make_task`).
    n_steps : int
        Training steps (one sample each), in [1, 1e6].
    learning_rate : float, optional
        eta0, the rate requested at step 0 [-], in (0, 100]; default :data:`LEARNING_RATES` of the task.
    static_bits : tuple of int
        Resolutions of the static memories [bits], each in [2, 32].
    static_rounding : {"nearest", "stochastic"}
        How the static memories round a write to their levels.
    weight_range : float
        Range +-weight_range of the static memories [-], in (0, 1e3].  An open design choice: 4 covers
        the float solutions of both tasks.
    step_seconds : float
        Time between steps [s], in (0, 1e6]; with the array's start age it sets k0 = start_age / step
        (default 0.1 s and 100 s: k0 = 1000).
    device : FNDAMDevice, optional
        FN-DAM element (illustrative by default).
    params : SynapseParameters, optional
        Synapse array parameters (illustrative by default).
    seed : int
        Seed of the data and of the array's mismatch and noise.

    Attributes
    ----------
    names : tuple of str
        Memory names: "float", "fndam", "static-4bit", ...
    steps_done : int
    done : bool
    """

    def __init__(self, task="2d", n_steps=2000, *, learning_rate=None, static_bits=(4, 6, 8),
                 static_rounding="nearest", weight_range=4.0, step_seconds=0.1, device=None, params=None,
                 seed=0):
        self.n_steps = int(check_range("n_steps", n_steps, 1, 1e6))
        self.task = make_task(task, self.n_steps, seed)
        rate = LEARNING_RATES[task] if learning_rate is None else learning_rate
        self.learning_rate = float(check_positive("learning_rate", rate, "", 100.0))
        self.static_bits = tuple(int(check_choice("static_bits", b, STATIC_BITS)) for b in static_bits)
        self.static_rounding = check_choice("static_rounding", static_rounding, ROUNDINGS)
        self.weight_range = float(check_positive("weight_range", weight_range, "", 1e3))
        self.step_seconds = float(check_positive("step_seconds", step_seconds, "s", 1e6))
        self.device = device or FNDAMDevice()
        self.params = params or SynapseParameters()
        self.seed = seed
        self.reset()

    def reset(self):
        """Return to step 0 with fresh memories (same data, same seeds)."""
        n = self.task.x_train.shape[1]
        k0 = self.params.start_age / self.step_seconds
        self.memories = {
            "float": _FloatMemory(n, k0),
            "fndam": _FNDAMMemory(n, self.device, self.params, self.step_seconds, self.seed),
        }
        for bits in self.static_bits:
            # Its own random stream per memory: the data order and the other memories stay as they are.
            rng = (np.random.default_rng([self.seed, bits]) if self.static_rounding == "stochastic"
                   else None)
            self.memories[f"static-{bits}bit"] = _StaticMemory(n, k0, bits, self.weight_range, rng)
        self.names = tuple(self.memories)
        self.steps_done = 0
        self._records = {name: {key: [] for key in ("loss", "accuracy", "energy", "weights")}
                         for name in self.names}
        self._energy = dict.fromkeys(self.names, 0.0)

    @property
    def done(self):
        return self.steps_done >= self.n_steps

    def advance(self, steps=1):
        """Run up to ``steps`` more training steps (fewer at the end); return how many ran.

        Each step: every memory is read (FN-DAM through its noisy readout), the logistic gradient
        g = (sigmoid(w.x) - y) x of the step's sample is computed from what was read, and the
        request -eta0 g is written.
        """
        steps = int(check_range("steps", steps, 0, 1e7))
        todo = min(steps, self.n_steps - self.steps_done)
        for _ in range(todo):
            k = self.steps_done
            x, y = self.task.x_train[k], self.task.y_train[k]
            for name, memory in self.memories.items():
                w = memory.read()
                request = -self.learning_rate * (_sigmoid(x @ w) - y) * x
                self._energy[name] += memory.write(request, k)
                self._record(name, memory.read())
            self.steps_done += 1
        return todo

    def _record(self, name, w):
        loss, accuracy = _loss_and_accuracy(w, self.task.x_test, self.task.y_test)
        rec = self._records[name]
        rec["loss"].append(loss)
        rec["accuracy"].append(accuracy)
        rec["energy"].append(self._energy[name])
        rec["weights"].append(np.array(w))

    def history(self, since=0):
        """Records of steps ``since + 1`` to ``steps_done`` as a :class:`LearningHistory` of arrays.

        Parameters
        ----------
        since : int
            Number of steps already fetched, in [0, steps_done]; 0 returns everything (a streaming UI
            passes what it has, and gets only the new steps).
        """
        since = int(check_range("since", since, 0, self.steps_done))

        def field(key):
            return {name: np.array(self._records[name][key][since:]) for name in self.names}

        return LearningHistory(np.arange(since + 1, self.steps_done + 1), field("loss"), field("accuracy"),
                               field("energy"), field("weights"))


def train(task="2d", n_steps=2000, **kwargs):
    """Run a :class:`LearningRun` to the end and return its :class:`LearningHistory`.

    Keyword arguments are those of :class:`LearningRun`.
    """
    run = LearningRun(task, n_steps, **kwargs)
    run.advance(run.n_steps)
    return run.history()
