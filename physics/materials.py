"""Oxide parameter sets for Fowler-Nordheim tunneling, each with its source.

The barrier height ``phi`` is the conduction-band offset from the emitter Fermi level (n+ poly-Si
or n-well, treated as metal-like) to the SiO2 conduction band [eV]; ``mass_ratio`` is the
effective electron mass in the oxide, m*/m0.  Sources: docs/science.md section 1 (and section 2
for the FN coefficients each set gives).  :data:`DEFAULT_OXIDE` is the one place the default oxide of
every physics function and of the FN-DAM element is declared:

>>> from physics.materials import DEFAULT_OXIDE
>>> DEFAULT_OXIDE.barrier_height_eV, DEFAULT_OXIDE.mass_ratio, DEFAULT_OXIDE.eps_r
(3.2, 0.42, 3.9)
"""

from dataclasses import dataclass

#: Domain every physics function accepts for an oxide's parameters (also the dashboard's bounds).
BARRIER_RANGE_EV = (0.5, 6.0)  #: barrier height phi [eV]
MASS_RANGE = (0.05, 2.0)  #: effective mass ratio m*/m0 [-]


@dataclass(frozen=True)
class OxideParameters:
    """A named barrier parameter set.

    Attributes
    ----------
    name : str
        Short label shown in the UI.
    barrier_height_eV : float
        Barrier height phi [eV].
    mass_ratio : float
        Effective electron mass in the oxide, m*/m0 [-].
    eps_r : float
        Relative permittivity of the oxide used for the field and image force [-].
    source : str
        Where the numbers come from.
    """

    name: str
    barrier_height_eV: float
    mass_ratio: float
    eps_r: float
    source: str


SIO2_CHANANA = OxideParameters(
    "Si/SiO2, 3.2 eV, 0.42 m0", 3.2, 0.42, 3.9,
    "phi 3.2 eV; m* = 0.42 m0 from R. K. Chanana, IOSR J. Appl. Phys. (2014)",
)
SIO2_WEINBERG = OxideParameters(
    "Si/SiO2, 3.2 eV, 0.5 m0", 3.2, 0.50, 3.9,
    "phi 3.2 eV; m* = 0.5 m0 from Z. A. Weinberg, J. Appl. Phys. 53, 5052 (1982)",
)
SIO2_JIN = OxideParameters(
    "Si/SiO2, 3.15 eV, 0.5 m0", 3.15, 0.50, 3.9,
    "phi 3.15 eV with 0.5 m0 for Si/SiO2 (Jin et al., as used by COMSOL's semiconductor module)",
)

#: Every parameter set by name; the first is the default of the app and of the functions.
OXIDES = {p.name: p for p in (SIO2_CHANANA, SIO2_WEINBERG, SIO2_JIN)}
DEFAULT_OXIDE = SIO2_CHANANA

#: Static (3.9) and optical (2.15) relative permittivity of SiO2: which one governs the image
#: force on a tunneling electron is an open assumption (docs/science.md section 2).
SIO2_EPS_STATIC = 3.9
SIO2_EPS_OPTICAL = 2.15
