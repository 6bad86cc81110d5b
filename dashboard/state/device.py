"""The operating point shared by the band-diagram, tunneling-current and memory views: one per session."""

import param

from physics import barrier, fndam
from physics.materials import DEFAULT_OXIDE, SIO2_EPS_OPTICAL, SIO2_EPS_STATIC

#: Thinnest oxide and highest voltage keep the field within the physics' domain (barrier.FIELD_MAX);
#: the voltage is the one the element is programmed to, so its floor is the element's
#: (fndam.ELEMENT_VOLTAGE_RANGE).
THICKNESS_RANGE_NM = (3.0, 20.0)
#: Field [MV/cm] above which the app warns: thermal SiO2 breaks down near 10-15 MV/cm (docs/science.md
#: section 2). Fields up to 50 MV/cm are still computed, so a lecturer can show why nobody goes there.
BREAKDOWN_FIELD_MV_CM = 10.0
PROGRAMMING_VOLTAGE_RANGE = (fndam.ELEMENT_VOLTAGE_RANGE[0],
                             barrier.FIELD_MAX * THICKNESS_RANGE_NM[0] * 1e-9)


class OperatingPoint(param.Parameterized):
    """Tunneling oxide and the voltage across it (defaults: the illustrative device, docs/science.md
    section 3, with the default oxide of physics.materials)."""

    oxide_voltage = param.Number(
        10.0, bounds=PROGRAMMING_VOLTAGE_RANGE, step=0.1, label="Oxide voltage V_ox (V)",
        doc="Voltage across the tunneling oxide, floating gate to tunneling node. It falls as "
            "electrons tunnel off the floating gate.", metadata={"url": "vox"})
    oxide_thickness_nm = param.Number(
        12.0, bounds=THICKNESS_RANGE_NM, step=0.1, label="Oxide thickness d (nm)",
        doc="Thickness of the SiO2 tunneling oxide. Thinner oxides at low voltage tunnel directly "
            "(trapezoidal barrier) instead of by Fowler-Nordheim (triangular barrier).",
        metadata={"url": "d"})
    barrier_height_eV = param.Number(
        DEFAULT_OXIDE.barrier_height_eV, bounds=(2.0, 4.5), step=0.01, label="Barrier height phi (eV)",
        doc="Conduction-band offset from the emitter Fermi level to the SiO2 conduction band "
            "(about 3.2 eV for Si/SiO2).", metadata={"url": "phi"})
    mass_ratio = param.Number(
        DEFAULT_OXIDE.mass_ratio, bounds=(0.1, 1.0), step=0.01, label="Oxide electron mass m*/m0 (-)",
        doc="Effective mass of the tunneling electron in the oxide, in electron rest masses "
            "(0.42 Chanana 2014; 0.5 Weinberg 1982).", metadata={"url": "m"})
    temperature_K = param.Number(
        300.0, bounds=(1.0, 500.0), step=1.0, label="Temperature T (K)",
        doc="Temperature of the tunneling electrons: warm electrons above the Fermi level see a thinner "
            "barrier, 1.3x more current at 8 MV/cm and 1.9x at 5.3 MV/cm at 300 K than at 0 K. It sets the "
            "Tsu-Esaki curves and, through fitted thermal FN coefficients, k1, k2 and the memory; the FN "
            "formula curve stays the 0 K law. 300 K is illustrative (room temperature).",
        metadata={"url": "T"})
    image_force = param.Boolean(
        False, label="Image force (Schottky-Nordheim)",
        doc="Round the barrier by the image-charge attraction of the emitter: it lowers and thins the "
            "barrier and raises the WKB and exact currents ~4x at 8 MV/cm. Off by default: the default "
            "oxide (3.2 eV, 0.42 m0) is a plain-FN fit to measured currents that already include "
            "image-force lowering (Lenzlinger & Snow 1969), so adding it double-counts. The FN formula "
            "and the memory element stay plain FN.", metadata={"url": "img"})
    eps_r = param.Number(
        SIO2_EPS_STATIC, bounds=(SIO2_EPS_OPTICAL, SIO2_EPS_STATIC), step=0.05,
        label="Image-force permittivity eps_r (-)",
        doc="Relative permittivity screening the image force: 2.15 (optical) to 3.9 (static) for SiO2. "
            "Which applies is an open assumption; 3.9 is illustrative.", metadata={"url": "eps"})

    @property
    def thickness_m(self):
        """Oxide thickness d [m]."""
        return self.oxide_thickness_nm * 1e-9

    @property
    def field(self):
        """Oxide field V_ox/d [V/m] (uniform: no charge in the oxide)."""
        return barrier.oxide_field(self.oxide_voltage, self.thickness_m)

    def field_warning(self, voltage=None):
        """A one-line warning when the field at ``voltage`` (default: the programmed V_ox) [V] exceeds
        BREAKDOWN_FIELD_MV_CM, else ''."""
        field = (self.oxide_voltage if voltage is None else voltage) / self.oxide_thickness_nm * 10.0
        if field <= BREAKDOWN_FIELD_MV_CM:
            return ""
        return (f"⚠ {field:.1f} MV/cm is above {BREAKDOWN_FIELD_MV_CM:g} MV/cm: thermal SiO2 breaks down "
                "near 10-15 MV/cm, so a real oxide would wear out or fail here; the currents are computed "
                "as if it did not.")

    def tunneling_inputs(self):
        """Keyword arguments of :func:`physics.tunneling.current_density` besides the voltage and the
        method: the oxide [m] and its barrier [eV, -]. Every tunneling current of the session takes its
        oxide from here, so a new property of the junction is added in this one place."""
        return {"oxide_thickness": self.thickness_m, "barrier_height_eV": self.barrier_height_eV,
                "mass_ratio": self.mass_ratio, "temperature": self.temperature_K,
                "image_force": self.image_force, "eps_r": self.eps_r}

    def element(self):
        """The FN-DAM element programmed to this voltage (area and capacitance illustrative defaults)."""
        return fndam.FNDAMDevice(oxide_thickness=self.thickness_m, barrier_height_eV=self.barrier_height_eV,
                                 mass_ratio=self.mass_ratio, initial_voltage=self.oxide_voltage,
                                 temperature=self.temperature_K)

    @property
    def is_fowler_nordheim(self):
        """True when q V_ox >= phi: the barrier is triangular (FN), else trapezoidal (direct)."""
        return self.oxide_voltage >= self.barrier_height_eV
