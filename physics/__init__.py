"""FN-DAM Explorer physics: Fowler-Nordheim tunneling and dynamic analog memory.

Pure NumPy/SciPy, SI units inside (energies passed as eV where the name says ``_eV``).
Modules: :mod:`constants`, :mod:`materials`, :mod:`barrier`, :mod:`tunneling`.
"""
