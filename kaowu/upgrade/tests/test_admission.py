"""平行志愿 admission (kaowu.upgrade.admission): the filing pass against an independent student-proposing
deferred acceptance, the tie-break chain, the filing ratio, eligibility, 退档, 征集志愿 and the cut-offs.
Plain functions on arrays and row objects: no database."""

import heapq
import random
from collections import deque
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from kaowu.upgrade.admission import (
    AdmissionError,
    Candidate,
    Candidates,
    FilingRules,
    Plan,
    Plans,
    TieBreak,
    candidates_from_rows,
    filing_pass,
    plans_from_rows,
    rank_order,
    reject_filed,
    supplementary_round,
    volunteers_from_rows,
)

CATEGORIES = ("01", "03", "06", "07")


def file(candidates, plans, **rules):
    plan_table = plans_from_rows(plans)
    candidate_table = candidates_from_rows(candidates, plans=plan_table)
    return filing_pass(candidates=candidate_table, plans=plan_table, rules=FilingRules(**rules))


def person(candidate_id, total, *volunteers, category="01", tie_breaks=None):
    return Candidate(candidate_id, category, total, tie_breaks or (0, 0, int(candidate_id[1:])), volunteers)


# ---------------------------------------------------------------------------------------------------
# Reference: many-to-one student-proposing deferred acceptance, written from the definition.


def eligible(candidate, plan, category_lines):
    if candidate.category not in plan.categories:
        return False
    own = plan.minimum.get(candidate.category) if isinstance(plan.minimum, dict) else plan.minimum
    return candidate.total >= (own if own is not None else float("-inf")) and \
        candidate.total >= category_lines.get(candidate.category, float("-inf"))


def deferred_acceptance(candidates, plans, capacity, category_lines, key):
    """Each candidate proposes down their list (the plans they are eligible for, A→H); each plan holds
    its best ``capacity`` proposers by ``key`` (smaller = preferred) and rejects the rest."""
    by_id = {plan.plan_id: plan for plan in plans}
    lists = [[p for p in c.volunteers if p is not None and eligible(c, by_id[p], category_lines)]
             for c in candidates]
    preference = {i: key(c) for i, c in enumerate(candidates)}
    held = {plan.plan_id: [] for plan in plans}  # heap of (−preference, candidate): the worst on top
    next_choice = [0] * len(candidates)
    free = deque(range(len(candidates)))
    while free:
        i = free.popleft()
        if next_choice[i] >= len(lists[i]):
            continue
        plan_id = lists[i][next_choice[i]]
        next_choice[i] += 1
        heap = held[plan_id]
        heapq.heappush(heap, (tuple(-x for x in preference[i]), i))
        if len(heap) > capacity[plan_id]:
            _, worst = heapq.heappop(heap)
            free.append(worst)
    return {candidates[i].candidate_id: plan_id for plan_id, heap in held.items() for _, i in heap}


def random_instance(seed, *, n, plan_count):
    rng = random.Random(seed)
    plans = []
    for j in range(plan_count):
        categories = frozenset(rng.sample(CATEGORIES, rng.choice((1, 1, 2, 4))))
        minimum = rng.choice((None, None, 150, 180, {"01": 170, "07": 160}))
        plans.append(Plan(f"P{j:03d}", rng.randint(0, 30), categories, minimum))
    popular = [plan.plan_id for plan in plans]
    weights = [1 / (j + 1) ** 0.7 for j in range(plan_count)]
    codes = rng.sample(range(10 * n), n)
    candidates = []
    for i in range(n):
        count = rng.choice((8, 8, 8, 6, 3, 0))
        volunteers = tuple(dict.fromkeys(rng.choices(popular, weights, k=count)))
        volunteers += (None,) * (8 - len(volunteers))
        # Totals in a narrow band and sub-scores in a few values: ties on every key but the code.
        candidates.append(Candidate(f"C{i:05d}", rng.choice(CATEGORIES), rng.randint(140, 230),
                                    (rng.randint(60, 62), rng.randint(40, 41), codes[i]), volunteers))
    return candidates, plans


@pytest.mark.parametrize("seed,n,plan_count,ratio", [
    (1, 300, 100, "1"), (2, 1000, 150, "1"), (3, 2500, 200, "1"), (4, 5000, 300, "1"), (5, 5000, 100, "1"),
    (6, 4000, 250, "1.05"),
])
def test_filing_pass_equals_student_proposing_deferred_acceptance(seed, n, plan_count, ratio):
    candidates, plans = random_instance(seed, n=n, plan_count=plan_count)
    lines = {"01": 160, "06": 150}
    standing = file(candidates, plans, ratio=ratio, category_lines=lines)

    capacity = {plan.plan_id: plan.seats * Fraction(ratio).numerator // Fraction(ratio).denominator
                for plan in plans}
    # Colleges prefer by total, then 专业综合课, then 外语 (higher first), then the random code (lower first).
    expected = deferred_acceptance(candidates, plans, capacity, lines,
                                   key=lambda c: (-c.total, -c.tie_breaks[0], -c.tie_breaks[1], c.tie_breaks[2]))

    assert standing.admitted() == expected
    assert n // 4 < len(expected) < sum(capacity.values())  # many filed, and places left open


def test_large_instance_matches_filing_one_candidate_at_a_time():
    # Many windows, with plans filling inside them: compared with the plain serial loop.
    rng = np.random.default_rng(7)
    n, p = 60_000, 800
    weights = 1 / np.arange(1, p + 1) ** 0.8
    volunteers = rng.choice(p, size=(n, 8), p=weights / weights.sum()).astype(np.int32)
    volunteers[rng.random((n, 8)) < 0.05] = -1
    plans = Plans(ids=list(range(p)), seats=rng.integers(0, 60, p), categories=CATEGORIES,
                  minimum=np.where(rng.random((p, 4)) < 0.8, rng.integers(100, 200, (p, 4)), np.inf))
    total = rng.normal(200, 40, n).round()
    candidates = Candidates(ids=list(range(n)), category=rng.integers(0, 4, n), total=total,
                            tie_breaks=np.stack([rng.integers(0, 150, n), rng.integers(0, 150, n),
                                                 rng.permutation(n)], axis=1), volunteers=volunteers)
    rules = FilingRules(ratio="1.05")
    standing = filing_pass(candidates=candidates, plans=plans, rules=rules)

    room = list(rules.capacity(plans.seats))
    expected = {}
    for c in standing.order.tolist():
        for plan in volunteers[c].tolist():
            if plan >= 0 and room[plan] and total[c] >= plans.minimum[plan, candidates.category[c]]:
                room[plan] -= 1
                expected[c] = plan
                break
    assert standing.admitted() == expected
    assert list(standing.counts) == list(rules.capacity(plans.seats) - np.array(room))


# ---------------------------------------------------------------------------------------------------
# Ranking


def test_equal_totals_are_ranked_by_major_course_then_foreign_language_then_the_lower_random_code():
    candidates = [
        person("C1", 200, "P", tie_breaks=(90, 80, 7)),
        person("C2", 200, "P", tie_breaks=(95, 60, 9)),  # higher 专业综合课
        person("C3", 200, "P", tie_breaks=(90, 85, 8)),  # same 专业综合课, higher 外语
        person("C4", 200, "P", tie_breaks=(90, 80, 3)),  # same as C1 but a lower random code
        person("C5", 201, "P", tie_breaks=(0, 0, 99)),  # higher total beats everything
    ]
    standing = file(candidates, [Plan("P", 10, frozenset({"01"}))])
    assert [standing.candidates.ids[i] for i in standing.order] == ["C5", "C2", "C3", "C4", "C1"]

    two_seats = file(candidates, [Plan("P", 2, frozenset({"01"}))])
    assert set(two_seats.admitted()) == {"C5", "C2"}


def test_chain_directions_are_configurable():
    order = rank_order(total=np.array([100, 100, 100]), tie_breaks=np.array([[1, 5], [1, 3], [2, 9]]),
                       chain=(TieBreak("专业综合课", descending=False), TieBreak("随机码", descending=True)))
    assert order.tolist() == [0, 1, 2]


def test_candidates_still_tied_after_the_chain_are_an_error():
    candidates = [person("C1", 200, "P", tie_breaks=(90, 80, 5)), person("C2", 200, "P", tie_breaks=(90, 80, 5))]
    with pytest.raises(AdmissionError, match="位次唯一"):
        file(candidates, [Plan("P", 1, frozenset({"01"}))])


def test_half_point_scores_and_very_wide_keys_rank_correctly():
    # Non-integral totals take the dense-rank path; codes near 2**62 do not fit one packed key (lexsort).
    total = np.array([180.5, 181.0, 180.5, 179.5])
    tie_breaks = np.array([[1, 2**62], [0, 1], [1, 2**61], [5, 0]])
    order = rank_order(total=total, tie_breaks=tie_breaks, chain=(TieBreak("a"), TieBreak("b", descending=False)))
    assert order.tolist() == [1, 2, 0, 3]


# ---------------------------------------------------------------------------------------------------
# Filing ratio


@pytest.mark.parametrize("ratio,seats,filed", [
    ("1", 20, 20), ("1.05", 20, 21), (Decimal("1.05"), 40, 42), (1.05, 19, 19), (Fraction(21, 20), 100, 105),
    ("1.03", 100, 103),
])
def test_a_plan_takes_floor_of_seats_times_the_filing_ratio(ratio, seats, filed):
    candidates = [person(f"C{i}", 300 - i, "P") for i in range(1, 120)]
    standing = file(candidates, [Plan("P", seats, frozenset({"01"}))], ratio=ratio)
    assert standing.counts.tolist() == [filed] == standing.capacity.tolist()
    assert set(standing.admitted()) == {f"C{i}" for i in range(1, filed + 1)}


@pytest.mark.parametrize("ratio", ["0.99", "1.06", 2])
def test_a_filing_ratio_outside_100_to_105_percent_is_refused(ratio):
    with pytest.raises(AdmissionError, match="投档比例"):
        FilingRules(ratio=ratio)


# ---------------------------------------------------------------------------------------------------
# Volunteers and eligibility


def test_each_candidate_is_filed_to_the_first_volunteer_that_still_has_room():
    plans = [Plan("A", 1, frozenset({"01"})), Plan("B", 1, frozenset({"01"})), Plan("C", 5, frozenset({"01"}))]
    candidates = [person("C1", 250, "A", "B"), person("C2", 240, "A", "B", "C"), person("C3", 230, "A", "B", "C"),
                  person("C4", 220, "A", "B"), person("C5", 210, None, "C")]
    standing = file(candidates, plans)
    assert standing.admitted() == {"C1": "A", "C2": "B", "C3": "C", "C5": "C"}
    assert standing.plan_of(3) is None
    assert standing.counts.tolist() == [1, 1, 2]


def test_a_plan_that_does_not_admit_the_category_is_skipped_even_with_room():
    plans = [Plan("A", 5, frozenset({"07"})), Plan("B", 5, frozenset({"01", "07"}))]
    standing = file([person("C1", 250, "A", "B", category="01"), person("C2", 240, "A", "B", category="07")], plans)
    assert standing.admitted() == {"C1": "B", "C2": "A"}


def test_minimum_lines_of_the_plan_per_category_and_of_the_province():
    plans = [Plan("A", 5, frozenset({"01", "07"}), minimum={"01": 200}), Plan("B", 5, frozenset({"01", "07"}), 190),
             Plan("C", 5, frozenset({"01", "07"}))]
    candidates = [person("C1", 210, "A", "C"), person("C2", 195, "A", "B", "C"), person("C3", 185, "A", "B", "C"),
                  person("C4", 185, "A", "B", "C", category="07"), person("C5", 170, "C", category="07")]
    standing = file(candidates, plans, category_lines={"07": 180})
    assert standing.admitted() == {"C1": "A", "C2": "B", "C3": "C", "C4": "A"}


# ---------------------------------------------------------------------------------------------------
# Cut-offs


def test_each_plan_reports_its_lowest_filed_candidate_as_the_filing_line():
    plans = [Plan("A", 2, frozenset({"01"})), Plan("B", 3, frozenset({"01"})), Plan("C", 3, frozenset({"01"}))]
    candidates = [person("C1", 250, "A", tie_breaks=(90, 70, 1)), person("C2", 240, "A", tie_breaks=(88, 71, 2)),
                  person("C3", 240, "A", "B", tie_breaks=(80, 75, 3)), person("C4", 230, "B", tie_breaks=(70, 60, 4))]
    standing = file(candidates, plans)
    cutoffs = standing.cutoffs()
    assert set(cutoffs) == {"A", "B"}
    assert standing.cutoff(2) is None
    assert cutoffs["A"].total == 240
    assert cutoffs["A"].tie_breaks == (("专业综合课", 88), ("外语", 71), ("随机码", 2))
    assert standing.candidates.ids[cutoffs["B"].candidate] == "C4"


# ---------------------------------------------------------------------------------------------------
# 退档 and 征集志愿


def batch():
    plans = [Plan("A", 2, frozenset({"01"})), Plan("B", 2, frozenset({"01"})), Plan("C", 3, frozenset({"01"}))]
    candidates = [person("C1", 250, "A"), person("C2", 240, "A", "B"), person("C3", 230, "A", "B"),
                  person("C4", 220, "A", "B"), person("C5", 210, "A"), person("C6", 200, "C")]
    return file(candidates, plans)


def test_a_college_rejects_a_filed_candidate_with_a_reason_and_the_seat_is_freed():
    standing = batch()
    assert standing.admitted() == {"C1": "A", "C2": "A", "C3": "B", "C4": "B", "C6": "C"}

    after = reject_filed(standing=standing, rejections=[(1, "体检不合格")])

    assert after.admitted() == {"C1": "A", "C3": "B", "C4": "B", "C6": "C"}
    assert after.counts.tolist() == [1, 2, 1]
    assert after.remaining().tolist() == [1, 0, 2]
    # Nobody takes the freed seat in this round: C5 (who wanted only A) stays unfiled, C2 is not
    # re-filed to B, and the filing line of A is still the one announced.
    assert after.plan_of(4) is None and after.plan_of(1) is None
    assert after.cutoff(0) == standing.cutoff(0)
    assert after.rejections[0].reason == "体检不合格" and after.rejections[0].plan == 0
    assert standing.admitted()["C2"] == "A"  # the earlier standing is unchanged


def test_a_rejection_needs_a_filed_candidate_and_a_reason():
    standing = batch()
    with pytest.raises(AdmissionError, match="未被投档"):
        reject_filed(standing=standing, rejections=[(4, "不符合专业要求")])
    with pytest.raises(AdmissionError, match="原因"):
        reject_filed(standing=standing, rejections=[(0, " ")])
    twice = reject_filed(standing=standing, rejections=[(0, "体检不合格")])
    with pytest.raises(AdmissionError, match="未被投档"):
        reject_filed(standing=twice, rejections=[(0, "体检不合格")])


def test_supplementary_round_fills_the_remaining_places_from_new_volunteers():
    standing = reject_filed(standing=batch(), rejections=[(1, "体检不合格")])
    volunteers = volunteers_from_rows({"C1": ["C"],  # held already: ignored
                                       "C2": ["A", "C"],  # returned by A: not to A again
                                       "C5": ["A"], "C4": ["C"]},
                                      candidates=standing.candidates, plans=standing.plans)
    after = supplementary_round(standing=standing, volunteers=volunteers)

    assert after.round == 1
    assert after.capacity.tolist() == [1, 0, 2]
    assert after.admitted() == {"C1": "A", "C2": "C", "C3": "B", "C4": "B", "C5": "A", "C6": "C"}
    assert after.filed_round.tolist() == [0, 1, 0, 0, 1, 0]
    assert after.filed.tolist() == [1, 0, 1]
    assert after.counts.tolist() == [2, 2, 2]
    assert after.cutoffs()["A"].total == 210 and after.cutoffs()["C"].total == 240
    assert after.rejections == standing.rejections


def test_supplementary_round_can_leave_out_every_returned_candidate():
    standing = reject_filed(standing=batch(), rejections=[(1, "体检不合格")])
    volunteers = volunteers_from_rows({"C2": ["C"], "C5": ["C"]}, candidates=standing.candidates,
                                      plans=standing.plans)
    after = supplementary_round(standing=standing, volunteers=volunteers, returned_take_part=False)
    assert after.plan_of(1) is None and after.plan_of(4) == 2


def test_supplementary_round_may_lower_the_lines_and_applies_the_ratio_to_the_remaining_places():
    plans = [Plan("A", 40, frozenset({"01"}))]
    candidates = [person(f"C{i}", 300 - i, "A") for i in range(1, 31)] + \
                 [person(f"C{i}", 150 - i, None) for i in range(31, 60)]
    standing = file(candidates, plans, ratio="1.05", category_lines={"01": 160})
    assert standing.counts.tolist() == [30] and standing.remaining().tolist() == [10]

    volunteers = volunteers_from_rows({f"C{i}": ["A"] for i in range(31, 60)},
                                      candidates=standing.candidates, plans=standing.plans)
    strict = supplementary_round(standing=standing, volunteers=volunteers)
    assert strict.filed.tolist() == [0]
    lowered = supplementary_round(standing=standing, volunteers=volunteers,
                                  rules=FilingRules(ratio="1.05", category_lines={"01": 100}))
    assert lowered.capacity.tolist() == [10]  # floor(10 × 1.05)
    assert set(lowered.admitted()) - set(standing.admitted()) == {f"C{i}" for i in range(31, 41)}


# ---------------------------------------------------------------------------------------------------
# Edges


def test_no_candidates_no_plans_and_no_volunteers():
    empty = file([], [Plan("A", 3, frozenset({"01"}))])
    assert empty.admitted() == {} and empty.counts.tolist() == [0] and empty.cutoffs() == {}

    plans = Plans(ids=[], seats=[], categories=("01",), minimum=np.zeros((0, 1)))
    candidates = Candidates(ids=["C1"], category=[0], total=[200], tie_breaks=[[1, 2, 3]], volunteers=np.zeros((1, 0)))
    nothing = filing_pass(candidates=candidates, plans=plans, rules=FilingRules())
    assert nothing.assignment.tolist() == [-1] and nothing.order.tolist() == [0]

    unfilled = file([person("C1", 200, None, None)], [Plan("A", 3, frozenset({"01"})), Plan("Z", 0, frozenset({"01"}))])
    assert unfilled.admitted() == {}
    zero_seats = file([person("C1", 200, "Z", "A")], [Plan("A", 3, frozenset({"01"})), Plan("Z", 0, frozenset({"01"}))])
    assert zero_seats.admitted() == {"C1": "A"}


def test_inputs_that_do_not_fit_together_are_refused():
    plans = plans_from_rows([Plan("A", 3, frozenset({"01"}))])
    with pytest.raises(AdmissionError, match="不在招生计划"):
        candidates_from_rows([person("C1", 200, "X")], plans=plans)
    with pytest.raises(AdmissionError, match="最多 8"):
        Candidates(ids=[1], category=[0], total=[1], tie_breaks=[[1, 2, 3]], volunteers=[[0] * 9])
    candidates = Candidates(ids=[1], category=[0], total=[1], tie_breaks=[[1, 2]], volunteers=[[0]])
    with pytest.raises(AdmissionError, match="同分排序规则"):
        filing_pass(candidates=candidates, plans=plans, rules=FilingRules())
    with pytest.raises(AdmissionError, match="未知类别"):
        file([person("C1", 200, "A")], [Plan("A", 3, frozenset({"01"}))], category_lines={"99": 1})


def test_decimal_scores_from_the_database_are_accepted():
    candidates = [Candidate("C1", "01", Decimal("200.5"), (Decimal("90.5"), 80, 2), ("A",)),
                  Candidate("C2", "01", Decimal("200.5"), (Decimal("91"), 70, 1), ("A",))]
    standing = file(candidates, [Plan("A", 1, frozenset({"01"}), minimum=Decimal("200.5"))])
    assert standing.admitted() == {"C2": "A"}
    assert standing.cutoffs()["A"].total == 200.5
