"""Smoke run of the roster benchmark (tiny sizes, no timing assertions): it
runs, its figures are consistent, and every roster it reports passed the
independent checker (and, for Curtois-Qu, the instance's own scorer)."""
import importlib.util
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def _load_bench():
    try:
        import staffplan  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    pytest.importorskip("staffplan._core", reason="staffplan extension not built")
    spec = importlib.util.spec_from_file_location("bench_roster",
                                                  os.path.join(HERE, "bench_roster.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_roster_smoke(tmp_path, capsys):
    bench = _load_bench()
    out = tmp_path / "roster.json"
    rc = bench.main(["--smoke", "--json", str(out)])
    text = capsys.readouterr().out
    assert "roster benchmark" in text
    report = json.loads(out.read_text())
    assert report["smoke"] is True
    (row,) = report["synthetic"]
    assert row["agents"] == 40 and row["weeks"] == 1
    assert row["schedule"]["status"] in ("optimal", "feasible")
    for path in ("direct", "from_schedule"):
        r = row[path]
        assert r["status"] in ("optimal", "feasible", "no_solution"), r
        if r["status"] != "no_solution":
            assert r["violations"] == 0, r["first_violations"]
            # No roster beats the schedule LP bound.
            assert r["objective"] >= r["schedule_lp_bound"] - 1e-6 * r["objective"]
            assert r["gap"] == pytest.approx(
                (r["objective"] - r["schedule_lp_bound"]) / r["objective"])
    if os.path.isdir(bench.BENCH):
        (c,) = report["curtois"]
        assert c["instance"] == 1 and c["best_known"] == 607
        if c["status"] != "no_solution":
            assert c["errors"] == [] and c["violations"] == 0, c
            assert c["penalty"] == c["objective"] >= 607
    assert rc == (0 if report["ok"] else 1) and report["ok"], report
