"""Packaging: environment.yml lists what pyproject.toml lists, and the page's CSS and the server's own
pages ship in the wheel."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
#: What environment.yml lists that is not a Python package from pyproject.toml.
NOT_FROM_PYPI = ("python", "pip", "jemalloc")


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


#: conda-forge names of packages PyPI names otherwise (conda-forge's ``redis`` is not the client).
PYPI_NAMES = {"redis-py": "redis"}


def requirements(specs):
    """name -> set of version specifiers, from PEP 508 strings (conda's 'name>=1,<2' parses the same);
    conda-forge names are given as PyPI's."""
    parsed = [Requirement(s) for s in specs]
    return {PYPI_NAMES.get(r.name.lower(), r.name.lower()): {str(s) for s in r.specifier} for r in parsed}


def test_environment_yml_matches_pyproject_dependencies():
    project = pyproject()["project"]
    expected = requirements(project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    listed = requirements(d for d in conda if Requirement(d).name not in NOT_FROM_PYPI)
    assert listed == expected
    python = next(Requirement(d) for d in conda if Requirement(d).name == "python")
    assert str(python.specifier) == pyproject()["project"]["requires-python"]


def test_css_is_package_data_of_an_installed_package():
    config = pyproject()["tool"]["setuptools"]
    assert any(fnmatch("assets", pattern) for pattern in config["packages"]["find"]["include"])
    assert (ROOT / "assets" / "__init__.py").exists()  # a regular package, so find() includes it
    # the page's CSS, and the server's own pages (login, refused request) with theirs
    served = [p.relative_to(ROOT / "assets").as_posix() for p in (ROOT / "assets").rglob("*")
              if p.suffix in (".css", ".html")]
    assert {"style.css", "pages.css", "page.html", "login.html", "refused.html"} <= set(served)
    patterns = config["package-data"]["assets"]
    assert all(any(fnmatch(f, p) or fnmatch(f, p.removeprefix("**/")) for p in patterns) for f in served)
