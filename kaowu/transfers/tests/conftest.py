"""The 考籍转出 world and its fixtures, shared by the 考籍转入 tests (which export from it)."""

from .test_out import committed, paid, pay, reviewing, world  # noqa: F401
