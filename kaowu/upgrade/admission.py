"""平行志愿 admission for 专升本, one batch (批次) at a time: the filing pass (投档), 退档 and 征集志愿.

A pure module on numpy arrays — no Django, no database — so that the batch's services can read the
candidates, plans and volunteers with one query each, call these functions and write the standing back.

The rule (issue 7 item 5):

- Candidates are ranked by total score, then by the tie-break chain (``FilingRules.chain``, e.g.
  专业综合课, then 外语, then the random code fixed at arrangement). Every key has a direction
  (``TieBreak.descending``; the default chain takes the higher 专业综合课 and 外语 first and the *lower*
  random code first). The order must be strict: two candidates with every key equal are an error
  (``AdmissionError``), never resolved silently.
- In that order, each candidate is filed (投档) to the first of the volunteers A→H whose plan still has
  room and for which the candidate is eligible; one filing per candidate per round, nothing is reconsidered.
- Room: a plan takes at most ``floor(seats × ratio)`` filings, the ratio (投档比例) being 100 %–105 %.
  The floor is the reading of "不超过 105 %": a plan of fewer than 20 seats gets no extra filing at 105 %.
- Eligibility: the candidate's category (报考专业类别) is one the plan admits, and the total reaches the
  plan's minimum for that category and the province's line for the category (``FilingRules.category_lines``).
- 退档 (``reject_filed``): a college returns a filed candidate with a reason; the seat is freed, the
  candidate is not filed again in that round. The round's filing line (cut-off) stays what it was.
- 征集志愿 (``supplementary_round``): the places left (seats − candidates still held, never below 0)
  are filed again with the same rule, from new volunteer lists of the candidates not held anywhere —
  never to a plan that returned the same candidate.

With a common strict ranking of candidates this filing is the student-proposing deferred acceptance
(stable matching); ``tests/test_admission.py`` checks it against an independent implementation of DA.

Arrays (the *columnar* form used by every function; ``candidates_from_rows`` and ``plans_from_rows``
build it from row objects for small cases and tests):

- ``Plans``: ``ids`` (P), ``seats`` (P ints), ``categories`` (the K category names), ``minimum``
  (P × K floats: the plan's minimum total per category, ``inf`` = the category is not admitted).
- ``Candidates``: ``ids`` (n), ``category`` (n ints, an index into ``plans.categories``), ``total`` (n),
  ``tie_breaks`` (n × len(chain), in chain order), ``volunteers`` (n × up to 8 plan indices, A first,
  −1 = not filled in).

How the filing pass is computed (1,000,000 candidates × 8 volunteers × 5,000 plans in well under 2 s on
one core, see ``bench/admission.py``): the order is one ``argsort`` of the keys packed into one int64
(``np.lexsort`` when they do not fit); eligibility is one gather over the (n × 8) volunteers; then the
candidates are filed a *window* at a time with numpy: every candidate of the window takes the first
volunteer that had room when the window started, and the window is committed up to the first candidate
whose plan was already taken up by the candidates before it in the window. Everything before that point
is exactly what one-by-one filing gives (the plans a candidate skipped were full already, and the plan
taken had room); the next window starts there. Each window either commits whole or stops where some
plan has just become full, so there are at most (windows of candidates) + (plans that fill) steps.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

VOLUNTEER_LETTERS = "ABCDEFGH"
MAX_VOLUNTEERS = len(VOLUNTEER_LETTERS)
MIN_RATIO = Fraction(1)
MAX_RATIO = Fraction(105, 100)
NONE = -1  # "no plan" in assignment arrays and "not filled in" in volunteer arrays
MIN_WINDOW, MAX_WINDOW = 64, 1 << 16  # candidates filed per numpy step (adapts between the two)


class AdmissionError(ValueError):
    """Input the engine cannot rank or file (ties left after the chain, a ratio out of range, a 退档
    of a candidate who is not filed …)."""


@dataclass(frozen=True, slots=True)
class TieBreak:
    """One key of the tie-break chain: its name (shown with the cut-off) and its direction."""

    name: str
    descending: bool = True


# 专业综合课, then 外语 (the higher score first), then the random code fixed at arrangement (the lower first).
DEFAULT_CHAIN = (TieBreak("专业综合课"), TieBreak("外语"), TieBreak("随机码", descending=False))


@dataclass(frozen=True)
class FilingRules:
    """What the province sets for a batch (or a 征集志愿 round): the tie-break chain, the filing ratio
    (1–1.05, taken exactly: ``"1.05"``, ``Decimal("1.05")``, ``Fraction(21, 20)`` or the float 1.05) and
    the minimum line per category (控制线), applying to every plan on top of the plan's own minimum."""

    chain: tuple[TieBreak, ...] = DEFAULT_CHAIN
    ratio: Fraction | str | float = Fraction(1)
    category_lines: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ratio = Fraction(str(self.ratio)) if not isinstance(self.ratio, Fraction) else self.ratio
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            raise AdmissionError(f"投档比例须在 100%–105% 之间（{float(ratio) * 100:g}%）")
        object.__setattr__(self, "ratio", ratio)
        object.__setattr__(self, "chain", tuple(self.chain))

    def capacity(self, seats: np.ndarray) -> np.ndarray:
        """Filings a plan takes: floor(seats × ratio), exactly (integer arithmetic)."""
        seats = np.asarray(seats, dtype=np.int64)
        return seats * self.ratio.numerator // self.ratio.denominator


@dataclass(frozen=True, eq=False)
class Plans:
    """The batch's college-major plans (招生计划), columnar. See the module docstring."""

    ids: Sequence[Hashable]
    seats: np.ndarray
    categories: tuple[str, ...]
    minimum: np.ndarray

    def __post_init__(self) -> None:
        seats = np.asarray(self.seats, dtype=np.int64).reshape(-1)
        minimum = np.asarray(self.minimum, dtype=np.float64).reshape(len(seats), len(self.categories))
        if len(self.ids) != len(seats):
            raise AdmissionError("计划编号与计划数不一致")
        if (seats < 0).any():
            raise AdmissionError("计划数不能为负")
        if np.isnan(minimum).any():
            raise AdmissionError("最低分数线不能为空值")
        object.__setattr__(self, "seats", seats)
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "categories", tuple(self.categories))

    def __len__(self) -> int:
        return len(self.seats)

    def index(self) -> dict[Hashable, int]:
        return {plan_id: i for i, plan_id in enumerate(self.ids)}


@dataclass(frozen=True, eq=False)
class Candidates:
    """The batch's candidates with their scores and volunteers, columnar. See the module docstring."""

    ids: Sequence[Hashable]
    category: np.ndarray
    total: np.ndarray
    tie_breaks: np.ndarray
    volunteers: np.ndarray

    def __post_init__(self) -> None:
        category = np.asarray(self.category, dtype=np.int32).reshape(-1)
        n = len(category)
        total = _numbers(np.asarray(self.total).reshape(-1))
        tie_breaks = _numbers(_matrix(self.tie_breaks, n, dtype=None))
        volunteers = _volunteer_array(self.volunteers, n)
        if len(self.ids) != n or len(total) != n or len(tie_breaks) != n:
            raise AdmissionError("考生数组长度不一致")
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "tie_breaks", tie_breaks)
        object.__setattr__(self, "volunteers", volunteers)

    def __len__(self) -> int:
        return len(self.category)

    def index(self) -> dict[Hashable, int]:
        return {candidate_id: i for i, candidate_id in enumerate(self.ids)}


def _numbers(array: np.ndarray) -> np.ndarray:
    """Scores as numbers numpy compares natively (``Decimal`` from the database becomes float64)."""
    return array if array.dtype.kind in "iuf" else array.astype(np.float64)


def _matrix(values, n: int, *, dtype) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    if array.size == 0:
        return array.reshape(n, array.shape[-1] if array.ndim == 2 else 0)
    return array.reshape(n, -1)


def _volunteer_array(volunteers, n: int) -> np.ndarray:
    array = _matrix(volunteers, n, dtype=np.int32)
    if array.shape[1] > MAX_VOLUNTEERS:
        raise AdmissionError(f"每个批次最多 {MAX_VOLUNTEERS} 个平行志愿")
    return array


@dataclass(frozen=True, slots=True)
class Rejection:
    """A 退档: the candidate, the plan that returned them, the college's reason and the round filed in."""

    candidate: int
    plan: int
    reason: str
    round: int


@dataclass(frozen=True, slots=True)
class Cutoff:
    """A plan's filing line in a round: the lowest candidate filed (投档线), total and tie-break values."""

    plan: int
    candidate: int
    total: float
    tie_breaks: tuple[tuple[str, float], ...]


@dataclass(frozen=True, eq=False)
class Standing:
    """The batch after a round (0 = the 平行志愿 filing, 1, 2 … = 征集志愿) and the 退档 since.

    ``assignment`` (n): the plan each candidate is held by now, or −1 (never filed, or returned);
    ``filed_round`` (n): the round of that filing, −1 when none; ``counts`` (P): candidates held per plan;
    ``capacity`` (P): the filings the round allowed per plan; ``filed`` (P): filings made in the round
    (returned ones included); ``cutoff_candidate`` (P): the lowest candidate the round filed to each
    plan, −1 when none; ``order``: every candidate index in rank order (rank 1 first);
    ``rejections``: every 退档 so far.
    """

    round: int
    candidates: Candidates
    plans: Plans
    rules: FilingRules
    assignment: np.ndarray
    filed_round: np.ndarray
    counts: np.ndarray
    capacity: np.ndarray
    filed: np.ndarray
    cutoff_candidate: np.ndarray
    order: np.ndarray
    rejections: tuple[Rejection, ...] = ()

    def plan_of(self, candidate: int) -> int | None:
        plan = int(self.assignment[candidate])
        return None if plan == NONE else plan

    def remaining(self) -> np.ndarray:
        """Places still open per plan: seats − candidates held, never below 0 (what 征集志愿 offers)."""
        return np.maximum(self.plans.seats - self.counts, 0)

    def cutoff(self, plan: int) -> Cutoff | None:
        candidate = int(self.cutoff_candidate[plan])
        if candidate == NONE:
            return None
        values = self.candidates.tie_breaks[candidate]
        return Cutoff(plan=plan, candidate=candidate, total=_number(self.candidates.total[candidate]),
                      tie_breaks=tuple((key.name, _number(value)) for key, value in zip(self.rules.chain, values, strict=True)))

    def cutoffs(self) -> dict[Hashable, Cutoff]:
        """The round's filing line of every plan that received a filing, by plan id."""
        return {self.plans.ids[plan]: self.cutoff(plan) for plan in np.flatnonzero(self.cutoff_candidate >= 0).tolist()}

    def admitted(self) -> dict[Hashable, Hashable]:
        """Candidate id → plan id for everyone held now (convenient for small batches and tests)."""
        held = np.flatnonzero(self.assignment >= 0)
        return {self.candidates.ids[c]: self.plans.ids[self.assignment[c]] for c in held}


def _number(value):
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


# ---------------------------------------------------------------------------------------------------
# The three operations


def filing_pass(*, candidates: Candidates, plans: Plans, rules: FilingRules) -> Standing:
    """The batch's 平行志愿 filing (round 0): rank, check eligibility, file each candidate to the first
    volunteer with room. Returns the standing (assignment per candidate, counts and cut-off per plan)."""
    _check(candidates, plans, rules)
    order = rank_order(total=candidates.total, tie_breaks=candidates.tie_breaks, chain=rules.chain)
    capacity = rules.capacity(plans.seats)
    eligible = _eligible(candidates, candidates.volunteers, plans, rules)
    assignment, cutoff = _file(order, candidates.volunteers, eligible, capacity)
    filed_round = np.where(assignment >= 0, 0, NONE).astype(np.int8)
    counts = np.bincount(assignment[assignment >= 0], minlength=len(plans)).astype(np.int64)
    return Standing(round=0, candidates=candidates, plans=plans, rules=rules, assignment=assignment,
                    filed_round=filed_round, counts=counts, capacity=capacity,
                    filed=counts.copy(), cutoff_candidate=cutoff, order=order)


def reject_filed(*, standing: Standing, rejections: Iterable[tuple[int, str]]) -> Standing:
    """退档: each (candidate index, reason) returns a candidate now held by a plan. The seat is freed
    (``counts`` goes down, ``remaining()`` up) and the candidate is held by nothing; no one is filed in
    their place in this round (the freed places go to 征集志愿). Returns the new standing."""
    assignment = standing.assignment.copy()
    filed_round = standing.filed_round.copy()
    counts = standing.counts.copy()
    added = []
    for candidate, reason in rejections:
        candidate = int(candidate)
        reason = (reason or "").strip()
        if not 0 <= candidate < len(assignment):
            raise AdmissionError(f"没有这个考生（{candidate}）")
        plan = int(assignment[candidate])
        if plan == NONE:
            raise AdmissionError(f"考生 {standing.candidates.ids[candidate]} 未被投档，不能退档")
        if not reason:
            raise AdmissionError("退档须填写原因")
        added.append(Rejection(candidate=candidate, plan=plan, reason=reason, round=int(filed_round[candidate])))
        assignment[candidate] = NONE
        filed_round[candidate] = NONE
        counts[plan] -= 1
    return replace(standing, assignment=assignment, filed_round=filed_round, counts=counts,
                   rejections=standing.rejections + tuple(added))


def supplementary_round(*, standing: Standing, volunteers: np.ndarray, rules: FilingRules | None = None,
                        returned_take_part: bool = True) -> Standing:
    """征集志愿: file the remaining places (seats − held, per plan; capacity floor(remaining × ratio))
    from new volunteer lists — ``volunteers`` (n × up to 8 plan indices, −1 = none) aligned with the
    batch's candidates. Only candidates held by no plan take part, and none is filed to a plan that
    returned them; with ``returned_take_part=False`` candidates returned (退档) earlier in the batch do
    not take part at all. ``rules`` may differ from the batch's (e.g. lowered lines); by default the
    same. Returns the new standing (round + 1); the earlier filings stay as they were."""
    rules = rules or standing.rules
    candidates, plans = standing.candidates, standing.plans
    volunteers = _volunteer_array(volunteers, len(candidates))
    _check(replace(candidates, volunteers=volunteers), plans, rules)
    order = rank_order(total=candidates.total, tie_breaks=candidates.tie_breaks, chain=rules.chain)
    capacity = rules.capacity(standing.remaining())
    eligible = _eligible(candidates, volunteers, plans, rules)
    eligible &= (standing.assignment < 0)[:, None]
    for rejection in standing.rejections:
        if returned_take_part:
            eligible[rejection.candidate] &= volunteers[rejection.candidate] != rejection.plan
        else:
            eligible[rejection.candidate] = False
    new, cutoff = _file(order, volunteers, eligible, capacity)
    taken = new >= 0
    round_ = standing.round + 1
    assignment = np.where(taken, new, standing.assignment).astype(np.int32)
    filed_round = np.where(taken, round_, standing.filed_round).astype(np.int8)
    filed = np.bincount(new[taken], minlength=len(plans)).astype(np.int64)
    return replace(standing, round=round_, rules=rules, assignment=assignment, filed_round=filed_round,
                   counts=standing.counts + filed, capacity=capacity, filed=filed, cutoff_candidate=cutoff,
                   order=order)


# ---------------------------------------------------------------------------------------------------
# Ranking, eligibility, filing


def rank_order(*, total: np.ndarray, tie_breaks: np.ndarray, chain: Sequence[TieBreak]) -> np.ndarray:
    """Candidate indices in rank order: total descending, then the chain. Raises ``AdmissionError`` when
    two candidates are still tied after the whole chain."""
    total = np.asarray(total)
    n = len(total)
    tie_breaks = np.asarray(tie_breaks).reshape(n, len(chain))
    if n == 0:
        return np.zeros(0, np.int64)
    # Each key as non-negative integer codes, smaller = ranked first, and its number of values.
    keys: list[tuple[np.ndarray, int]] = []
    for column, descending in [(total, True)] + [(tie_breaks[:, i], key.descending) for i, key in enumerate(chain)]:
        codes = _integer_codes(column)
        low, high = int(codes.min()), int(codes.max())
        codes = (high - codes) if descending else (codes - low)
        keys.append((codes, high - low + 1))
    if math.prod(size for _, size in keys) < 2**63:
        packed = np.zeros(n, np.int64)
        for codes, size in keys:
            packed = packed * size + codes
        order = np.argsort(packed)
        ranked = packed[order]
        tied = np.flatnonzero(ranked[1:] == ranked[:-1])
    else:
        order = np.lexsort([codes for codes, _ in reversed(keys)])
        stacked = np.stack([codes[order] for codes, _ in keys], axis=1)
        tied = np.flatnonzero((stacked[1:] == stacked[:-1]).all(axis=1))
    if len(tied):
        raise AdmissionError(f"{len(tied)} 处同分且同位次的考生（例如第 {tied[0] + 1} 名）：排序规则须使位次唯一")
    return order.astype(np.int64)


def _integer_codes(column: np.ndarray) -> np.ndarray:
    """The column as int64 preserving order: integers as they are, integral floats cast, other values by
    dense rank."""
    column = np.asarray(column)
    if column.dtype.kind in "iub":
        return column.astype(np.int64)
    values = column.astype(np.float64)
    if not np.isfinite(values).all():
        raise AdmissionError("分数不能为空值")
    if (values == np.round(values)).all() and np.abs(values).max() < 2**52:
        return values.astype(np.int64)
    return np.unique(values, return_inverse=True)[1].astype(np.int64).reshape(-1)


def _check(candidates: Candidates, plans: Plans, rules: FilingRules) -> None:
    if candidates.tie_breaks.shape[1] != len(rules.chain) and len(candidates):
        raise AdmissionError(f"同分排序规则有 {len(rules.chain)} 项，考生数据有 {candidates.tie_breaks.shape[1]} 项")
    volunteers = candidates.volunteers
    if volunteers.size and (volunteers.min() < NONE or volunteers.max() >= len(plans)):
        raise AdmissionError("志愿中有不存在的计划")
    if len(candidates) and (candidates.category.min() < 0 or candidates.category.max() >= len(plans.categories)):
        raise AdmissionError("考生的报考类别不在计划的类别中")
    unknown = set(rules.category_lines) - set(plans.categories)
    if unknown:
        raise AdmissionError(f"控制线中有未知类别：{'、'.join(sorted(unknown))}")


def _eligible(candidates: Candidates, volunteers: np.ndarray, plans: Plans, rules: FilingRules) -> np.ndarray:
    """(n × volunteers) booleans: the volunteer is filled in, the plan admits the candidate's category
    and the total reaches the plan's minimum and the category's line."""
    k = len(plans.categories)
    lines = np.array([rules.category_lines.get(name, -np.inf) for name in plans.categories], dtype=np.float64)
    # One row more for "not filled in" (−1 → the last row, never reached).
    table = np.vstack([np.maximum(plans.minimum, lines[None, :]), np.full((1, k), np.inf)]).ravel()
    # −1 × k + category is negative: mode="wrap" takes it from the last row.
    line = (np.take(table, volunteers * k + candidates.category[:, None], mode="wrap") if k
            else np.full(volunteers.shape, np.inf))
    return candidates.total.astype(np.float64)[:, None] >= line


def _file(order: np.ndarray, volunteers: np.ndarray, eligible: np.ndarray,
          capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """File in rank order: each candidate to the first eligible volunteer with room. Returns the plan
    per candidate (−1 for none) and the last (lowest) candidate filed per plan (−1 for none)."""
    n, p = len(eligible), len(capacity)
    assignment = np.full(n, NONE, np.int32)
    cutoff = np.full(p, NONE, np.int64)
    if n == 0 or p == 0 or volunteers.shape[1] == 0:
        return assignment, cutoff
    # The candidates with an eligible volunteer, in rank order; their volunteers with every ineligible
    # one replaced by a sentinel plan p that never has room.
    ranked = order[eligible.any(axis=1)[order]]
    choices = np.where(eligible, volunteers, p)[ranked]
    filed = _file_windows(choices, capacity)
    taken = filed >= 0
    assignment[ranked[taken]] = filed[taken]
    positions = np.flatnonzero(taken)
    last = np.full(p, -1, np.int64)
    np.maximum.at(last, filed[taken], positions)
    cutoff[last >= 0] = ranked[last[last >= 0]]
    return assignment, cutoff


def _file_windows(choices: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """The filing itself on rank-ordered rows of plan indices (``p`` = never room). See the module
    docstring for why committing each window up to its first over-taken plan is exact."""
    m, p = choices.shape[0], len(capacity)
    width_of_row = choices.shape[1]
    choices = np.ascontiguousarray(choices)
    room = np.append(np.asarray(capacity, np.int64), 0)  # the sentinel has no room
    full = room <= 0
    result = np.full(m, NONE, np.int32)
    row_offsets = np.arange(min(m, MAX_WINDOW), dtype=np.int64) * width_of_row
    start, width = 0, 512
    while start < m:
        window = choices[start:start + width]
        size = len(window)
        # Each candidate's first volunteer with room when the window starts (the sentinel if none:
        # argmax of an all-false row is 0, whose plan then has no room either).
        first = (~full[window]).argmax(axis=1)
        pick = np.take(window, row_offsets[:size] + first)
        pick[full[pick]] = p
        picked = np.bincount(pick, minlength=p + 1)
        picked[p] = 0
        over_plans = picked > room
        if over_plans.any():
            # The first candidate who picked a plan already taken up by those before them in the window.
            contested = np.flatnonzero(over_plans[pick])
            plans = pick[contested]
            by_plan = np.argsort(plans, kind="stable")
            sorted_plans = plans[by_plan]
            boundary = np.empty(len(plans), bool)
            boundary[0] = True
            np.not_equal(sorted_plans[1:], sorted_plans[:-1], out=boundary[1:])
            group_start = np.flatnonzero(boundary)
            before = np.empty(len(plans), np.int64)
            before[by_plan] = np.arange(len(plans)) - np.repeat(group_start, np.diff(group_start, append=len(plans)))
            stop = int(contested[(before >= room[plans]).argmax()])  # ≥ 1: the first candidate had room
            committed = pick[:stop]
            picked = np.bincount(committed, minlength=p + 1)
            picked[p] = 0
            width = max(MIN_WINDOW, width // 2)
        else:
            stop, committed = size, pick
            width = min(MAX_WINDOW, width * 2)
        result[start:start + stop] = np.where(committed == p, NONE, committed)
        room -= picked
        full = room <= 0
        start += stop
    return result


# ---------------------------------------------------------------------------------------------------
# Row objects, for small batches and tests


@dataclass(frozen=True, slots=True)
class Plan:
    """One college-major plan: its id, seats, the categories it admits and its own minimum total —
    one number for every category, or a mapping per category (a category missing from the mapping has
    no minimum of the plan's own)."""

    plan_id: Hashable
    seats: int
    categories: frozenset[str] | tuple[str, ...]
    minimum: float | Mapping[str, float] | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate: id, category, total, tie-break values in chain order, volunteers (plan ids, A→H;
    ``None`` for a volunteer left empty)."""

    candidate_id: Hashable
    category: str
    total: float
    tie_breaks: tuple[float, ...]
    volunteers: tuple[Hashable | None, ...]


def plans_from_rows(rows: Iterable[Plan], *, categories: Sequence[str] | None = None) -> Plans:
    rows = list(rows)
    if categories is None:
        categories = sorted({name for row in rows for name in row.categories})
    categories = tuple(categories)
    minimum = np.full((len(rows), len(categories)), np.inf)
    for i, row in enumerate(rows):
        for k, name in enumerate(categories):
            if name in row.categories:
                own = row.minimum.get(name) if isinstance(row.minimum, Mapping) else row.minimum
                minimum[i, k] = -np.inf if own is None else float(own)
    return Plans(ids=[row.plan_id for row in rows], seats=np.array([row.seats for row in rows], dtype=np.int64),
                 categories=categories, minimum=minimum)


def candidates_from_rows(rows: Iterable[Candidate], *, plans: Plans) -> Candidates:
    rows = list(rows)
    plan_index = plans.index()
    category_index = {name: k for k, name in enumerate(plans.categories)}
    width = max((len(row.volunteers) for row in rows), default=0)
    volunteers = np.full((len(rows), width), NONE, np.int32)
    for i, row in enumerate(rows):
        for j, plan_id in enumerate(row.volunteers):
            if plan_id is not None:
                if plan_id not in plan_index:
                    raise AdmissionError(f"考生 {row.candidate_id} 的志愿 {VOLUNTEER_LETTERS[j]} 不在招生计划中")
                volunteers[i, j] = plan_index[plan_id]
    unknown = {row.category for row in rows} - set(category_index)
    if unknown:
        raise AdmissionError(f"没有计划招收这些类别：{'、'.join(sorted(unknown))}")
    chain_width = max((len(row.tie_breaks) for row in rows), default=0)
    return Candidates(ids=[row.candidate_id for row in rows],
                      category=np.array([category_index[row.category] for row in rows], dtype=np.int32),
                      total=np.array([row.total for row in rows], dtype=np.float64),
                      tie_breaks=np.array([row.tie_breaks for row in rows], dtype=np.float64).reshape(len(rows),
                                                                                                   chain_width),
                      volunteers=volunteers)


def volunteers_from_rows(rows: Mapping[Hashable, Sequence[Hashable | None]], *, candidates: Candidates,
                         plans: Plans) -> np.ndarray:
    """征集志愿 lists by candidate id (plan ids, A→H) as the (n × 8) array ``supplementary_round`` takes;
    candidates not in ``rows`` filled in none."""
    candidate_index, plan_index = candidates.index(), plans.index()
    volunteers = np.full((len(candidates), MAX_VOLUNTEERS), NONE, np.int32)
    for candidate_id, plan_ids in rows.items():
        for j, plan_id in enumerate(plan_ids):
            if plan_id is not None:
                volunteers[candidate_index[candidate_id], j] = plan_index[plan_id]
    return volunteers
