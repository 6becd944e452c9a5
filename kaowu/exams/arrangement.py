"""The 考场编排 rule: which candidate sits in which room and seat.

A rule is a plain function without database access, chosen by the setting
`KAOWU_ARRANGEMENT_RULE` (a dotted path; default `kaowu.exams.arrangement.arrange_by_course`).
`kaowu.exams.services.arrangement_run_execute` loads one exam area's data, calls the rule and
writes its answer; a province with other habits writes its own function with the same contract:

    rule(candidates_by_session, rooms, kept) -> Arrangement

``candidates_by_session``
    ``{session_id: [(registered_course_id, course_code, exam_number), ...]}``: the paid course
    registrations of the exam area that need a seat, per session (半天场次), in no particular order.
``rooms``
    ``[(room_id, site_code, room_number, capacity), ...]``: the exam area's rooms in use (active rooms
    of active sites), in no particular order.
``kept``
    ``{session_id: [(room_id, seat, course_code), ...]}``: seats already taken in the session and not
    to be touched (seats published to candidates, and the seats of earlier runs that still hold).

The rule returns an `Arrangement`: ``assignments`` ``[(registered_course_id, session_id, room_id,
seat), ...]`` for candidates it seated, and ``unseated`` ``{(session_id, course_code): count}`` for
those it could not (not enough seats: never an error, the run reports them). A rule must

- give no seat twice in a session, and no seat that is in ``kept``;
- use seat numbers 1 … capacity of the room only;
- be deterministic (the same input gives the same answer), so that running again changes nothing.

The service checks the first two again before writing, and the database refuses a seat twice.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter

CandidateRow = tuple[int, str, str]          # (registered_course_id, course_code, exam_number)
RoomRow = tuple[int, str, str, int]          # (room_id, site_code, room_number, capacity)
KeptSeat = tuple[int, int, str]              # (room_id, seat, course_code)
AssignmentRow = tuple[int, int, int, int]    # (registered_course_id, session_id, room_id, seat)


@dataclass
class Arrangement:
    assignments: list[AssignmentRow] = field(default_factory=list)
    unseated: dict[tuple[int, str], int] = field(default_factory=dict)


def natural_key(text: str) -> tuple:
    """Order codes as people read them: "2" before "10", "001" before "010"; non-numbers after numbers."""
    return (0, int(text), text) if text.isdigit() else (1, 0, text)


def exam_number_key(row: CandidateRow) -> tuple:
    """准考证号 order: numerically (equal-length numbers sort as strings), the id breaking ties."""
    return len(row[2]), row[2], row[0]


def _in_exam_number_order(rows: list[CandidateRow]) -> list[CandidateRow]:
    # Numbers of one length (the usual case) sort as strings, with a C-level key: a third of the time.
    if len({len(row[2]) for row in rows}) <= 1:
        return sorted(rows, key=itemgetter(2, 0))
    return sorted(rows, key=exam_number_key)


def rooms_in_order(rooms: Iterable[RoomRow]) -> list[RoomRow]:
    """Rooms in the order the rule fills them: by site code, then room number."""
    return sorted(rooms, key=lambda r: (natural_key(r[1]), natural_key(r[2]), r[0]))


class _Room:
    """One room in one session: its free seats in ascending order and the courses seated in it."""

    __slots__ = ("id", "free", "position", "courses")

    def __init__(self, room_id: int, capacity: int, taken: set[int], courses: set[str]):
        self.id = room_id
        self.free = [seat for seat in range(1, capacity + 1) if seat not in taken] if taken else \
            list(range(1, capacity + 1))
        self.position = 0
        self.courses = courses

    @property
    def remaining(self) -> int:
        return len(self.free) - self.position

    @property
    def is_empty(self) -> bool:
        return not self.courses

    def seat(self, rows: list[CandidateRow], start: int, session_id: int, code: str,
             out: list[AssignmentRow]) -> int:
        """Seat rows[start:] in the free seats; return the index of the first row left over."""
        count = min(self.remaining, len(rows) - start)
        if count <= 0:
            return start
        seats = self.free[self.position:self.position + count]
        room_id = self.id
        out.extend([(row[0], session_id, room_id, seat) for row, seat in zip(rows[start:start + count], seats,
                                                                             strict=True)])
        self.position += count
        self.courses.add(code)
        return start + count


def arrange_by_course(candidates_by_session: dict[int, list[CandidateRow]], rooms: Iterable[RoomRow],
                      kept: dict[int, list[KeptSeat]] | None = None) -> Arrangement:
    """The default rule: rooms filled by course within a session, in 准考证号 order.

    In each session, courses are taken in course-code order and each course's candidates in
    准考证号 order. A course first fills the free seats of rooms that already hold that course and
    no other (seats kept from an earlier run: a late candidate joins their course), then takes
    empty rooms one after another in (site code, room number) order, seats 1 … capacity. A room
    holds one course, as ticket desks and invigilators prefer (one paper per room), so a course's
    last room may be left partly empty. Only when the exam area has no empty room left are the
    remaining candidates seated in the free seats of any room (rooms in order, courses in order);
    who still has no seat is counted in ``unseated``.
    """
    kept = kept or {}
    ordered = rooms_in_order(rooms)
    result = Arrangement()
    for session_id in sorted(set(candidates_by_session) | set(kept)):
        candidates = candidates_by_session.get(session_id) or []
        if candidates:
            _arrange_session(session_id, candidates, ordered, kept.get(session_id, ()), result)
    return result


def _arrange_session(session_id: int, candidates: list[CandidateRow], ordered: list, kept_seats,
                     result: Arrangement) -> None:
    """`arrange_by_course` for one session."""
    taken: dict[int, set[int]] = defaultdict(set)
    courses_in: dict[int, set[str]] = defaultdict(set)
    for room_id, seat, code in kept_seats:
        taken[room_id].add(seat)
        courses_in[room_id].add(code)
    states = [_Room(room_id, capacity, taken.get(room_id, set()), set(courses_in.get(room_id, ())))
              for room_id, _, _, capacity in ordered]

    by_course: dict[str, list[CandidateRow]] = defaultdict(list)
    for row in candidates:
        by_course[row[1]].append(row)
    leftovers: list[tuple[str, list[CandidateRow], int]] = []
    next_empty = 0
    for code in sorted(by_course, key=natural_key):
        rows = _in_exam_number_order(by_course[code])
        # Rooms that already hold this course alone (kept seats) take its late candidates first.
        start = _seat_in_rooms(states, rows, 0, session_id, code, result, only_course=code)
        # Then empty rooms, one after another.
        while start < len(rows) and next_empty < len(states):
            state = states[next_empty]
            if state.is_empty and state.remaining:
                start = state.seat(rows, start, session_id, code, result.assignments)
                if state.remaining:
                    break  # the course is seated; its last room keeps its free seats for now
            next_empty += 1
        if start < len(rows):
            leftovers.append((code, rows, start))

    # Out of empty rooms: the rest sit in any free seat, rooms in order.
    for code, rows, start in leftovers:
        start = _seat_in_rooms(states, rows, start, session_id, code, result)
        if start < len(rows):
            result.unseated[(session_id, code)] = len(rows) - start


def _seat_in_rooms(states: list, rows: list, start: int, session_id: int, code: str, result: Arrangement, *,
                   only_course: str | None = None) -> int:
    """Seat rows[start:] in the free seats of the rooms in order (of rooms holding only `only_course`
    when given); the index of the first row left without a seat."""
    for state in states:
        if start == len(rows):
            break
        if (only_course is None or state.courses == {only_course}) and state.remaining:
            start = state.seat(rows, start, session_id, code, result.assignments)
    return start
