"""Smoke run of the Curtois-Qu baseline benchmark (no timing assertions)."""
import importlib.util
import json
import os
import shutil

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.skipif(shutil.which("glpsol") is None, reason="glpsol not installed")
def test_curtois_baseline_smoke(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "bench_curtois", os.path.join(HERE, "bench_curtois.py"))
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    if not os.path.isdir(bench.BENCH):
        pytest.skip("shared/benchmarks/curtois-qu not beside the repo")
    out = tmp_path / "curtois.json"
    assert bench.main(["--smoke", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    (row,) = report["instances"]
    assert row["instance"] == 1
    for r in row["results"]:
        assert r["errors"] == [], r
        assert r["penalty"] >= row["best_known"]
