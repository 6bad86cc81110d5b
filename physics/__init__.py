"""FN-DAM Explorer physics: Fowler-Nordheim tunneling and dynamic analog memory.

Pure NumPy/SciPy, SI units inside (energies passed as eV where the name says ``_eV``); usable on its
own from a notebook.  Modules, each named for what it holds:

* :mod:`physics.constants`: CODATA constants and the Fowler-Nordheim constants a, b.
* :mod:`physics.materials`: oxide parameter sets (barrier height, mass) with their sources.
* :mod:`physics.barrier`: conduction-band profiles, oxide field, tunneling distance.
* :mod:`physics.tunneling`: FN formula, WKB and exact transmission, Tsu-Esaki current.
* :mod:`physics.fndam`: the FN-DAM element, V(t) = k2 / ln(k1 t + k0), pulses, retention.
* :mod:`physics.synapse`: differential-pair synapses and vectorised arrays of them.
* :mod:`physics.learning`: online learning with float, FN-DAM and fixed-precision memories.
* :mod:`physics.energy`: technology table and the training-energy model.
* :mod:`physics.validation`: the argument checks every public function uses.
"""
