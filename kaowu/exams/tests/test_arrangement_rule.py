"""The default 考场编排 rule, as a pure function."""

import random
from collections import Counter

from kaowu.exams.arrangement import arrange_by_course

S1, S2 = 1, 2


def rooms(*capacities, site="01"):
    return [(100 + i, site, f"{i + 1:03d}", capacity) for i, capacity in enumerate(capacities)]


def candidates(code, numbers, start_id=1):
    return [(start_id + i, code, number) for i, number in enumerate(numbers)]


def seats_of(result):
    return {rc: (room, seat) for rc, _, room, seat in result.assignments}


def assert_sound(result, room_rows, kept=None):
    capacity = {room[0]: room[3] for room in room_rows}
    used = Counter((session, room, seat) for _, session, room, seat in result.assignments)
    for session, seats in (kept or {}).items():
        used.update((session, room, seat) for room, seat, _ in seats)
    assert all(count == 1 for count in used.values()), "a seat was given twice"
    assert all(1 <= seat <= capacity[room] for _, room, seat in used), "a seat outside its room"
    assert len({rc for rc, *_ in result.assignments}) == len(result.assignments), "a candidate seated twice"


def test_a_course_fills_rooms_in_exam_number_order():
    numbers = ["010100000005", "010100000001", "010100000003", "010100000002", "010100000004"]
    result = arrange_by_course({S1: candidates("00041", numbers)}, rooms(3, 3), {})

    by_number = {numbers[rc - 1]: place for rc, place in seats_of(result).items()}
    assert [by_number[n] for n in sorted(numbers)] == [(100, 1), (100, 2), (100, 3), (101, 1), (101, 2)]
    assert result.unseated == {}


def test_exam_numbers_of_different_lengths_sort_as_numbers():
    result = arrange_by_course({S1: candidates("00041", ["123456789", "99999999"])}, rooms(2), {})
    assert seats_of(result) == {2: (100, 1), 1: (100, 2)}


def test_each_course_starts_in_a_new_room_in_course_code_order():
    group = candidates("00041", [f"0101000000{i:02d}" for i in range(4)]) + \
        candidates("00015", [f"0102000000{i:02d}" for i in range(2)], start_id=50)
    result = arrange_by_course({S1: group}, rooms(3, 3, 3, 3), {})

    seats = seats_of(result)
    assert {seats[50], seats[51]} == {(100, 1), (100, 2)}             # 00015 first, seat 3 of room 1 stays free
    assert [seats[i] for i in (1, 2, 3, 4)] == [(101, 1), (101, 2), (101, 3), (102, 1)]
    assert_sound(result, rooms(3, 3, 3, 3))


def test_rooms_are_taken_in_site_code_then_room_number_order():
    room_rows = [(7, "02", "001", 2), (8, "01", "010", 2), (9, "01", "2", 2)]
    result = arrange_by_course({S1: candidates("00041", ["01", "02", "03", "04", "05", "06"])}, room_rows, {})
    assert [seats_of(result)[i][0] for i in range(1, 7)] == [9, 9, 8, 8, 7, 7]


def test_sessions_are_arranged_independently():
    result = arrange_by_course({S1: candidates("00041", ["01", "02"]), S2: candidates("00043", ["03"], 10)},
                               rooms(2), {})
    assert sorted(result.assignments) == [(1, S1, 100, 1), (2, S1, 100, 2), (10, S2, 100, 1)]


def test_out_of_empty_rooms_courses_share_the_free_seats():
    group = candidates("00041", ["01", "02", "03"]) + candidates("00015", ["11", "12", "13"], start_id=50)
    result = arrange_by_course({S1: group}, rooms(4, 4), {})

    seats = seats_of(result)
    assert [seats[i] for i in (50, 51, 52)] == [(100, 1), (100, 2), (100, 3)]
    assert [seats[i] for i in (1, 2, 3)] == [(101, 1), (101, 2), (101, 3)]
    assert result.unseated == {}

    crowded = arrange_by_course({S1: group + candidates("00043", ["21", "22"], start_id=90)}, rooms(4, 4), {})
    assert seats_of(crowded)[90] == (100, 4) and seats_of(crowded)[91] == (101, 4)
    assert_sound(crowded, rooms(4, 4))


def test_not_enough_seats_counts_the_unseated_per_session_and_course():
    group = candidates("00041", [f"{i:02d}" for i in range(5)]) + candidates("00015", ["90", "91"], start_id=50)
    result = arrange_by_course({S1: group, S2: candidates("00043", ["1", "2", "3", "4"], start_id=70)},
                               rooms(2, 2), {})

    assert len(result.assignments) == 8
    assert result.unseated == {(S1, "00041"): 3}
    assert_sound(result, rooms(2, 2))


def test_kept_seats_are_never_reused_and_late_candidates_join_their_course():
    kept = {S1: [(100, 1, "00041"), (100, 2, "00041"), (101, 1, "00015")]}
    late = candidates("00041", ["05"], start_id=9) + candidates("00015", ["15"], start_id=19)
    result = arrange_by_course({S1: late}, rooms(3, 3, 3), kept)

    assert seats_of(result) == {9: (100, 3), 19: (101, 2)}
    assert_sound(result, rooms(3, 3, 3), kept)


def test_no_room_no_seat_and_no_error():
    result = arrange_by_course({S1: candidates("00041", ["01"])}, [], {})
    assert result.assignments == [] and result.unseated == {(S1, "00041"): 1}


def test_random_inputs_never_break_the_seat_rules():
    generator = random.Random(7)
    seated_in_all, unseated_in_all = 0, 0
    for _ in range(40):
        room_rows = [(i, f"{generator.randint(1, 3):02d}", f"{i:03d}", generator.randint(1, 12))
                     for i in range(generator.randint(0, 8))]
        kept, used, next_id = {}, set(), 1
        by_session = {}
        for session in (S1, S2):
            for room_id, _, _, capacity in room_rows:
                for seat in range(1, capacity + 1):
                    if generator.random() < 0.2:
                        kept.setdefault(session, []).append((room_id, seat, generator.choice(["00041", "00015"])))
                        used.add((session, room_id, seat))
            rows = []
            for _ in range(generator.randint(0, 60)):
                rows.append((next_id, generator.choice(["00041", "00015", "00043"]), f"{generator.randint(1, 10**9):012d}"))
                next_id += 1
            by_session[session] = rows
        result = arrange_by_course(by_session, room_rows, kept)
        assert_sound(result, room_rows, kept)
        for session, rows in by_session.items():
            free = sum(c for *_, c in room_rows) - sum(1 for key in used if key[0] == session)
            seated = sum(1 for a in result.assignments if a[1] == session)
            unseated = sum(n for (s, _), n in result.unseated.items() if s == session)
            assert seated == min(len(rows), free)      # nobody is left out while a seat is free
            assert seated + unseated == len(rows)
            seated_in_all, unseated_in_all = seated_in_all + seated, unseated_in_all + unseated
        # the same input gives the same answer
        assert arrange_by_course(by_session, room_rows, kept).assignments == result.assignments
    # The random cases did seat people, and did run out of seats: both branches were checked.
    assert seated_in_all > 100 and unseated_in_all > 0
