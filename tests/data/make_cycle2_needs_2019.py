#!/usr/bin/env python3
"""Writes cycle2_needs_2019.reviews.tsv and cycle2_needs_2019.needs.tsv.

A synthetic data set whose `irm report needs` figures equal the cycle-2 figures of the
secretariat's 2019 note (domain.md section 7). The States are chosen for the shape of the
data only: this is not who identified which need. Deterministic: running it again writes
the same files. The TSVs are the data of record; tests/e2e_needs_test.cc loads them through
the real `irm` commands. See docs/needs.md for the figures it reproduces.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
PREVIOUS_ANALYSIS = "2018-09-30"  # the note's previous analysis: 164 needs

# state, region, launched_on, issued_on, needs (cycle 2, completed, with needs)
WITH_NEEDS = [
    ("KEN", "african", "2016-06-01", "2017-11-20", 24),
    ("UGA", "african", "2016-07-04", "2018-02-12", 22),
    ("IDN", "asia_pacific", "2016-06-15", "2017-12-05", 20),
    ("PAK", "asia_pacific", "2016-09-01", "2018-03-19", 19),
    ("PER", "latin_american_caribbean", "2016-08-01", "2018-01-22", 18),
    ("SEN", "african", "2016-10-03", "2018-05-07", 17),
    ("ALB", "eastern_european", "2016-11-01", "2018-06-18", 15),
    ("MUS", "african", "2016-12-01", "2018-07-09", 12),
    ("FJI", "asia_pacific", "2017-01-16", "2018-08-27", 10),
    ("PAN", "latin_american_caribbean", "2017-02-01", "2018-09-17", 7),
    ("RWA", "african", "2017-03-01", "2018-11-26", 26),
    ("MNG", "asia_pacific", "2017-04-03", "2019-01-21", 21),
    ("GEO", "eastern_european", "2017-05-02", "2019-03-11", 19),
    ("BRA", "latin_american_caribbean", "2017-06-01", "2019-04-29", 17),
    ("ZAF", "african", "2017-07-03", "2019-06-10", 15),
    ("SGP", "asia_pacific", "2017-09-04", "2019-07-22", 12),
    ("ITA", "western_european_other", "2017-10-02", "2019-09-09", 8),
]
# Completed without needs: state, region, launched_on, issued_on
WITHOUT_NEEDS = [
    ("FRA", "western_european_other", "2016-06-20", "2017-10-30"),
    ("FIN", "western_european_other", "2016-09-12", "2018-01-15"),
    ("GBR", "western_european_other", "2016-10-17", "2018-04-16"),
    ("CZE", "eastern_european", "2017-01-09", "2018-06-04"),
    ("CHL", "latin_american_caribbean", "2017-02-13", "2018-09-03"),
    ("LTU", "eastern_european", "2017-03-20", "2018-12-10"),
    ("BRB", "latin_american_caribbean", "2017-05-15", "2019-02-18"),
    ("QAT", "asia_pacific", "2017-06-19", "2019-05-13"),
    ("JPN", "asia_pacific", "2017-08-14", "2019-07-01"),
    ("NAM", "african", "2017-11-06", "2019-09-23"),
]
# In progress: state, region, launched_on, last step on, stage reached
IN_PROGRESS = [
    ("ESP", "western_european_other", "2018-02-05", "2019-05-06", "draft_report"),
    ("MEX", "latin_american_caribbean", "2018-03-05", "2019-01-14", "desk_review_done"),
    ("EGY", "african", "2018-06-04", "2018-10-01", "checklist_submitted"),
    ("THA", "asia_pacific", "2019-01-07", "2019-01-07", "launched"),
    ("UKR", "eastern_european", "2018-09-03", "2019-08-26", "summary_approved"),
]
# Cycle 1, completed, with needs (they must stay out of every --cycle 2 figure).
CYCLE1 = [
    ("KEN", "african", "2010-09-01", "2012-03-15", [(15, "capacity_building"), (23, "legislative_drafting"), (31, "model_legislation"), (46, "on_site_expert"), (37, "capacity_building")]),
    ("PER", "latin_american_caribbean", "2011-08-01", "2013-02-11", [(16, "good_practices"), (26, "capacity_building"), (44, "model_agreement"), (36, "technological_assistance")]),
    ("FRA", "western_european_other", "2011-09-05", "2012-12-10", [(21, "action_plan"), (43, "other"), (48, "capacity_building")]),
]
REVIEWER_POOLS = {
    "african": ["AGO", "BEN", "BWA", "CMR", "GHA", "MAR", "TUN", "ZMB", "GAB", "MLI"],
    "asia_pacific": ["BGD", "CHN", "IND", "JOR", "LKA", "MYS", "PHL", "VNM", "KOR"],
    "eastern_european": ["BGR", "HRV", "POL", "ROU", "SRB"],
    "latin_american_caribbean": ["ARG", "COL", "CRI", "ECU", "URY"],
    "western_european_other": ["AUT", "BEL", "DEU", "NLD", "NOR", "PRT", "SWE", "CHE"],
}
# article -> (needs, States); chapter II then V. 5, 7, 9 and 13 are the note's [16].
ARTICLES = {
    5: (24, 9), 7: (20, 9), 9: (19, 10), 13: (20, 8),
    6: (18, 6), 8: (15, 6), 10: (14, 6), 11: (16, 7), 12: (13, 6), 14: (16, 7),
    51: (8, 4), 52: (16, 7), 53: (10, 5), 54: (11, 6), 55: (12, 5), 56: (9, 4),
    57: (14, 6), 58: (15, 7), 59: (12, 6),
}
CATEGORIES = [
    ("capacity_building", 115), ("legislative_assistance", 55), ("institution_building", 38),
    ("policymaking", 22), ("international_cooperation", 16), ("research_data", 14),
    ("technological_assistance", 12), ("other", 10),
]
STATUSES = ["current"] * 15 + ["anticipated"] * 10 + ["addressed"] * 10 + ["unmet"] * 5


def add_days(day, n):
    import datetime
    d = datetime.date.fromisoformat(day) + datetime.timedelta(days=n)
    return d.isoformat()


def assign_reviewers(reviews):
    load = {}
    out = {}
    everyone = [s for pool in REVIEWER_POOLS.values() for s in pool]
    for i, (state, region) in enumerate(reviews):
        slot1 = min(REVIEWER_POOLS[region], key=lambda s: (load.get(s, 0), s))
        load[slot1] = load.get(slot1, 0) + 1
        rest = [s for s in everyone if s != slot1]
        slot2 = min(rest, key=lambda s: (load.get(s, 0), (everyone.index(s) + 7 * i) % len(everyone)))
        load[slot2] = load.get(slot2, 0) + 1
        assert load[slot1] <= 3 and load[slot2] <= 3
        out[state] = f"{slot1},{slot2}"
    return out


def max_flow(support, extra_of_state):
    """Needs beyond one per (article, State) cell: {(article, State): n}, or None.

    Edmonds-Karp over source -> article (its extra needs) -> State (if in the article's
    support) -> sink (the State's extra needs); None unless every extra need is placed.
    """
    cap = {}
    def edge(u, v, c):
        cap[(u, v)] = cap.get((u, v), 0) + c
        cap.setdefault((v, u), 0)
    for a, states in support.items():
        edge("src", ("a", a), ARTICLES[a][0] - len(states))
        for st in states:
            edge(("a", a), ("s", st), 10**6)
    for st, n in extra_of_state.items():
        edge(("s", st), "sink", n)
    adj = {}
    for u, v in cap:
        adj.setdefault(u, []).append(v)
    total = 0
    while True:
        parent = {"src": None}
        queue = ["src"]
        for u in queue:
            for v in sorted(adj.get(u, []), key=str):
                if v not in parent and cap[(u, v)] > 0:
                    parent[v] = u
                    queue.append(v)
        if "sink" not in parent:
            break
        path, v = [], "sink"
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(cap[e] for e in path)
        for u, v in path:
            cap[(u, v)] -= push
            cap[(v, u)] += push
        total += push
    if total != sum(ARTICLES[a][0] - len(s) for a, s in support.items()):
        return None
    if total != sum(extra_of_state.values()):
        return None
    return {(a, st): cap[(("s", st), ("a", a))] for a, states in support.items() for st in states}


def assign_articles(rng):
    """(state, article) per need, meeting ARTICLES and each State's need count exactly.

    First the States of each article (at most one article per need of a State), then the
    needs beyond one per (State, article) cell, each to the cell's State with most left.
    """
    total = {s[0]: s[4] for s in WITH_NEEDS}
    for attempt in range(10000):
        slots = dict(total)
        support = {}
        in_chapter2 = set()
        for article, (needs, states) in sorted(ARTICLES.items(),
                                               key=lambda a: (a[0] > 14, -a[1][1], a[0])):
            chosen = sorted((s for s in slots if slots[s] > 0),
                            key=lambda s: (article <= 14 and s in in_chapter2,
                                           -slots[s] - rng.random() * 6))[:states]
            if article <= 14:
                in_chapter2.update(chosen)
            if len(chosen) < states:
                break
            for s in chosen:
                slots[s] -= 1
            support[article] = chosen
        if len(support) != len(ARTICLES):
            continue
        if {s for a, ss in support.items() if a <= 14 for s in ss} != set(total):
            continue
        flow = max_flow(support, slots)
        if flow is not None:
            return [(s, a) for a in sorted(support) for s in sorted(support[a])
                    for _ in range(1 + flow.get((a, s), 0))]
    raise SystemExit("no assignment found")


def main():
    rng = random.Random(2019)
    c2 = [(s[0], s[1]) for s in WITH_NEEDS + WITHOUT_NEEDS + IN_PROGRESS]
    reviewers = assign_reviewers(c2)
    reviewers1 = assign_reviewers([(s[0], s[1]) for s in CYCLE1])
    with open(os.path.join(HERE, "cycle2_needs_2019.reviews.tsv"), "w") as f:
        f.write("# state\tcycle\tyear\treviewers\tlaunched_on\tlast_on\tstage\n")
        rows = [(s, 2, r, l, i, "completed") for s, r, l, i, _ in WITH_NEEDS]
        rows += [(s, 2, r, l, i, "completed") for s, r, l, i in WITHOUT_NEEDS]
        rows += [(s, 2, r, l, i, st) for s, r, l, i, st in IN_PROGRESS]
        rows += [(s, 1, r, l, i, "completed") for s, r, l, i, _ in CYCLE1]
        for state, cycle, region, launched, last, stage in rows:
            year = int(launched[:4]) - (2015 if cycle == 2 else 2009)
            who = (reviewers if cycle == 2 else reviewers1)[state]
            f.write(f"{state}\t{cycle}\t{year}\t{who}\t{launched}\t{last}\t{stage}\n")
    pairs = assign_articles(rng)
    categories = [c for c, n in CATEGORIES for _ in range(n)]
    rng.shuffle(categories)
    statuses = STATUSES + [""] * (len(pairs) - len(STATUSES))
    rng.shuffle(statuses)
    issued = {s[0]: s[3] for s in WITH_NEEDS}
    order = {s[0]: i for i, s in enumerate(WITH_NEEDS)}
    pairs.sort(key=lambda p: (order[p[0]], p[1]))
    with open(os.path.join(HERE, "cycle2_needs_2019.needs.tsv"), "w") as f:
        f.write("# state\tcycle\tarticle\tcategory\tidentified_on\tstatus\tstatus_on\tprovider\n")
        for (state, article), category, status in zip(pairs, categories, statuses):
            on = issued[state]
            status_on = add_days(on, 90 + rng.randrange(500)) if status else ""
            provider = "UNODC" if status == "addressed" else ""
            f.write(f"{state}\t2\t{article}\t{category}\t{on}\t{status}\t{status_on}\t{provider}\n")
        for state, _, _, on, needs in CYCLE1:
            for article, category in needs:
                f.write(f"{state}\t1\t{article}\t{category}\t{on}\t\t\t\n")


if __name__ == "__main__":
    main()
