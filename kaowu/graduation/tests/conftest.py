import pytest

from kaowu.records.tests.conftest import world_build


@pytest.fixture
def world(gansu):
    """records' world: 行政管理 (120402: 00015 14, 03708 2, 03709 4, 00312 6 required; 00024 4 or 01848 5,
    选考课程（任选一门）), sittings 2027-04 (current, scores unpublished) and 2027-10, candidates n1–n4."""
    return world_build()
