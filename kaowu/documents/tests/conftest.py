# The 报考 world (sitting, areas, courses, a verified candidate, paying on the dev gateway) is shared.
from kaowu.registration.tests.conftest import committed, exam_number, pay, world  # noqa: F401
