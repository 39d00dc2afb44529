"""`make demo`'s pipeline runs end to end and its schedule checks out."""
import os

import pytest

from evaluate import check
from test_roster import check as check_roster


def test_demo_runs_forecast_requirements_schedule_roster_and_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from staffplan import demo

    ctx = demo.run(["--out", str(tmp_path), "--days", "2", "--time-limit", "5",
                    "--threads", "1"])
    out = capsys.readouterr().out
    assert "schedule" in out and "gap to the bound" in out
    assert os.path.getsize(ctx["plot"]) > 10_000
    check(ctx["problem"], ctx["schedule"])
    assert ctx["problem"]["demand"]["required"] == list(ctx["requirements"].heads)
    assert "roster" in out
    check_roster(dict(ctx["problem"], agents=ctx["agents"]), ctx["roster"])
