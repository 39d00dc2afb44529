"""Small random roster problems (demand.cover, a few agents with random
rules, weekday premiums on half of them) for the property, concurrency and hardening tests.  Generous time
limits: the search on these ends by convergence (`stop` "converged"), so
the same problem gives the same roster."""
import random

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cover_problem(seed, agents=4, days=7, time_limit=60.0):
    rng = random.Random(seed)
    shifts = [
        {"name": "E", "start": "06:00", "length": 480, "cost": 0.0},
        {"name": "D", "start": "10:00", "length": 480, "cost": 0.0, "skill": "chat"},
        {"name": "L", "start": "14:00", "length": 480, "cost": 0.0, "cannot_follow": []},
    ]
    if rng.random() < 0.5:
        shifts[0]["cannot_follow"] = ["L"]
    cover = [{"day": d, "shift": s["name"], "required": rng.randint(0, 2),
              "under_cost": float(rng.randint(1, 100)), "over_cost": float(rng.randint(0, 5))}
             for d in range(days) for s in shifts if rng.random() < 0.7]
    out = []
    for a in range(agents):
        ag = {"id": f"a{a}-ü{seed % 7}", "cost_per_hour": float(rng.randint(10, 40))}
        if rng.random() < 0.5:
            ag["skills"] = ["chat"]
        if rng.random() < 0.3:
            ag["shift_types"] = rng.sample(["E", "D", "L"], 2)
        if rng.random() < 0.4:
            ag["unavailable_days"] = rng.sample(range(days), min(days, rng.randint(1, 2)))
        if rng.random() < 0.3:
            ag["availability"] = {w: [["06:00", "22:00"]] for w in WEEKDAYS
                                  if rng.random() < 0.8}
        if rng.random() < 0.5:
            ag["max_consecutive_work_days"] = rng.randint(2, 5)
        if rng.random() < 0.4:
            ag["min_rest_minutes"] = rng.choice([0, 660, 720])
        if rng.random() < 0.4:
            ag["max_minutes"] = 480 * rng.randint(2, 5)
        if rng.random() < 0.3:
            ag["max_shifts"] = {rng.choice("EDL"): rng.randint(0, 3)}
        if rng.random() < 0.3:
            ag["max_weekends"] = rng.randint(0, 1)
        if rng.random() < 0.3:
            ag["min_consecutive_days_off"] = 2
        if rng.random() < 0.5:
            ag["requests"] = [{"day": rng.randrange(days),
                               "shift": rng.choice([None, "E", "D", "L"]),
                               "work": rng.random() < 0.5,
                               "weight": float(rng.randint(1, 20))}
                              for _ in range(rng.randint(1, 3))]
        out.append(ag)
    # Weekday premiums on half the problems, from a generator of their own
    # (the draws above, and so the problems without them, stay as they
    # were): the shifts cost something, more on Saturdays and Sundays, and
    # some agents pay the shift's cost instead of an hourly rate.
    extra = random.Random(~seed)
    if extra.random() < 0.5:
        for k, s in enumerate(shifts):
            s["cost"] = 80.0 * (k + 1)
            if extra.random() < 0.7:
                s["weekday_costs"] = {"sat": 120.0 * (k + 1), "sun": 160.0 * (k + 1)}
        for ag in out:
            if extra.random() < 0.3:
                del ag["cost_per_hour"]
    return {"format": "staffplan-problem/1", "interval_minutes": 60, "days": days,
            "cyclic": False, "start_weekday": rng.choice(WEEKDAYS),
            "demand": {"cover": cover}, "shifts": shifts, "agents": out,
            "limits": {"time_limit": time_limit, "mip_gap": 0.0, "threads": 1}}
