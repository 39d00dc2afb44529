"""Shared fixtures for the staffplan Python tests.

`reference.py` sits next to the tests and is imported directly.  The package
itself is taken from the environment; when it is not installed, the in-tree
build under bindings/python is tried, and tests needing it are skipped if
that fails too.
"""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

if HERE not in sys.path:
    sys.path.insert(0, HERE)


def _import_staffplan():
    try:
        import staffplan  # noqa: F401
    except ImportError:
        in_tree = os.path.join(ROOT, "bindings", "python")
        if in_tree not in sys.path:
            sys.path.append(in_tree)
    return pytest.importorskip("staffplan")


@pytest.fixture(scope="session")
def sp():
    """The staffplan module (tests are skipped when it cannot be imported)."""
    return _import_staffplan()
