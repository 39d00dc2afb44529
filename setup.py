"""Builds the staffplan package and its _core extension (C core + binding).

The C sources come from core/sources.txt, the list CMakeLists.txt reads too.
"""
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def core_sources():
    with open(os.path.join(HERE, "core", "sources.txt"), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def extra_flags():
    flags = ["-std=c11", "-O2", "-fopenmp", "-Wall", "-Wextra"]
    if os.environ.get("STAFFPLAN_WERROR"):
        flags.append("-Werror")
    if os.environ.get("STAFFPLAN_SANITIZE"):
        flags += ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-O1", "-g"]
    return flags


def link_flags():
    flags = ["-fopenmp"]
    if os.environ.get("STAFFPLAN_SANITIZE"):
        flags.append("-fsanitize=address,undefined")
    return flags


setup(
    name="staffplan",
    version="0.1.0",
    description="Contact-center workforce planning: Erlang C/A requirements, shift schedules and rosters",
    license="GPL-3.0-or-later",
    python_requires=">=3.9",
    package_dir={"": "bindings/python"},
    packages=["staffplan"],
    package_data={"staffplan": ["*.pyi", "py.typed"]},
    ext_modules=[
        Extension(
            "staffplan._core",
            sources=core_sources() + ["bindings/python/staffplan/_core.c"],
            include_dirs=["core/include", "core/src"],
            libraries=["glpk"],
            extra_compile_args=extra_flags(),
            extra_link_args=link_flags(),
        )
    ],
    extras_require={"pandas": ["pandas"], "plot": ["matplotlib"]},
)
