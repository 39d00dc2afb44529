"""Smoke test of the requirements benchmark: it runs, thread counts agree, and the
pure-Python reference staffs every sampled interval like staffplan.  No timing
assertions."""

import importlib.util
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(HERE, "bench_requirements.py")


def _load_bench():
    if importlib.util.find_spec("staffplan") is None:
        sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    pytest.importorskip("staffplan._core", reason="staffplan extension not built")
    spec = importlib.util.spec_from_file_location("bench_requirements", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_requirements_smoke(tmp_path, capsys):
    bench = _load_bench()
    out = tmp_path / "bench.json"
    rc = bench.main(["--smoke", "--json", str(out)])
    text = capsys.readouterr().out
    assert "requirements benchmark" in text

    report = json.loads(out.read_text())
    assert report["smoke"] is True
    names = [w["name"] for w in report["workloads"]]
    assert names == ["sites", "loguniform"]
    for w in report["workloads"]:
        assert w["intervals"] == 1000
        assert set(w["staffplan"]) == {"threads=1", "threads=2"}
        assert w["identical_across_threads"], w["differing_arrays"]
        assert w["identical_to_full_recursion"], w["name"]
        py = w["pure_python"]
        assert py["sample"] > 0
        assert py["agent_mismatches"] == 0, py["mismatch_examples"]
        assert py["heads_mismatches"] == 0
        if "pure_python_naive" in w:
            assert w["pure_python_naive"]["agent_mismatches"] == 0
    assert report["ok"] is True
    assert rc == 0
