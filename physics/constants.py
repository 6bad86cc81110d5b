"""Physical constants (CODATA 2018 exact SI values where defined) and derived FN constants.

Every value is in SI units unless its name says otherwise.  The Fowler-Nordheim constants follow
R. G. Forbes, "Simple good approximations for the special elliptic functions in standard
Fowler-Nordheim tunneling theory", and his "simple FN-type calculations" notes:

* first FN constant  a = q^3 / (8 pi h)            = 1.541434e-6 A eV V^-2
* second FN constant b = 8 pi sqrt(2 m0) / (3 q h) = 6.830890e9 V m^-1 eV^-1.5
  (written with the barrier height in eV, hence the factor q^1.5 / q below).

This module is the one home of physical constants and unit factors (docs/conventions.md); the values
above, to the 7 digits of docs/science.md section 2:

>>> from physics import constants as c
>>> f"{c.FN_A:.6e} A eV V^-2, {c.FN_B:.6e} V m^-1 eV^-1.5"
'1.541434e-06 A eV V^-2, 6.830890e+09 V m^-1 eV^-1.5'
>>> round(c.SCHOTTKY_C2 * 1e9, 7)  # Forbes' c_S^2 = e^3/(4 pi eps0) [eV^2 V^-1 nm]
1.4399645
>>> c.YEAR / c.DAY
365.25
"""

import math

Q = 1.602176634e-19  #: elementary charge [C]
H = 6.62607015e-34  #: Planck constant [J s]
HBAR = H / (2.0 * math.pi)  #: reduced Planck constant [J s]
M0 = 9.1093837015e-31  #: electron rest mass [kg]
KB = 1.380649e-23  #: Boltzmann constant [J/K]
EPS0 = 8.8541878128e-12  #: vacuum permittivity [F/m]

#: First FN constant a = q^3/(8 pi h), expressed per eV of barrier height [A eV V^-2].
FN_A = Q**3 / (8.0 * math.pi * H) / Q
#: Second FN constant b = 8 pi sqrt(2 m0) q^1.5 / (3 q h), for phi in eV [V m^-1 eV^-1.5].
FN_B = 8.0 * math.pi * math.sqrt(2.0 * M0) * Q**1.5 / (3.0 * Q * H)
#: Schottky constant e^3/(4 pi eps0) for the image-force reduction, f = c_S^2 F/phi^2 [eV^2 V^-1 m].
SCHOTTKY_C2 = Q / (4.0 * math.pi * EPS0)

HOUR = 3600.0  #: one hour [s]
DAY = 24.0 * HOUR  #: one day [s]
YEAR = 365.25 * DAY  #: one Julian year (365.25 days) [s], the year of "V(1 year)" in docs/science.md

MV_PER_CM = 1e8  #: 1 MV/cm in V/m (FN fields are quoted in MV/cm)
A_PER_CM2 = 1e4  #: 1 A/cm^2 in A/m^2
