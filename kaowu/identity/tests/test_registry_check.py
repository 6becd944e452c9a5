import pytest

from kaowu.identity.models import RegistryCheck
from kaowu.identity.services import IdentityError, registry_check, registry_check_latest
from kaowu.testing.factories import CandidateFactory, UserFactory


def _candidate(**user_fields):
    return CandidateFactory(user=UserFactory(**user_fields)).user


def test_a_well_formed_pair_matches(gansu):
    user = _candidate()
    assert registry_check(user=user).outcome == RegistryCheck.Outcome.MATCH
    assert registry_check_latest(user=user).outcome == RegistryCheck.Outcome.MATCH


def test_the_test_registry_knows_a_different_name(gansu):
    user = _candidate(real_name="李四", id_number="620102199001011233")
    assert registry_check(user=user).outcome == RegistryCheck.Outcome.MISMATCH


def test_an_unknown_id_number_is_not_found(gansu):
    user = _candidate(id_number="620102199001012340")
    assert registry_check(user=user).outcome == RegistryCheck.Outcome.NOT_FOUND


def test_an_unavailable_service_is_said_and_does_not_count(gansu):
    user = _candidate(id_number="620102199001013458")
    for _ in range(6):
        with pytest.raises(IdentityError, match="暂不可用"):
            registry_check(user=user)
    assert registry_check_latest(user=user) is None


def test_five_checks_a_day(gansu):
    user = _candidate()
    for _ in range(5):
        registry_check(user=user)
    with pytest.raises(IdentityError, match="明天再试"):
        registry_check(user=user)
