"""The real 姓名+身份证号 check: HttpsIdentityRegistry against a local stand-in of the province's 公安
identity broker that recomputes the HMAC-SHA256 request signature and signs its answers."""

import pytest

from kaowu.identity.models import RegistryCheck
from kaowu.identity.registry import (
    HttpsIdentityRegistry,
    RegistryOutcome,
    RegistryUnavailable,
    identity_registry,
)
from kaowu.identity.services import IdentityError, registry_check
from kaowu.testing.factories import CandidateFactory, UserFactory
from kaowu.testing.http_server import Answer, local_server, signed_broker

SECRET = "registry-shared-secret"
REGISTERED = {"620102199001011233": "张三"}


def decide(request, payload):
    if request.path != "/v1/id-check" or set(payload) != {"request_id", "name", "id_number"}:
        return 400, {"error": "bad_request"}
    known = REGISTERED.get(payload["id_number"])
    result = "not_found" if known is None else "match" if known == payload["name"] else "mismatch"
    return 200, {"result": result, "reference": "GA" + payload["request_id"][:10]}


@pytest.fixture
def broker(settings):
    settings.KAOWU_IDENTITY_REGISTRY_PROVIDER = "kaowu.identity.registry.HttpsIdentityRegistry"
    settings.KAOWU_IDENTITY_REGISTRY_APP_ID, settings.KAOWU_IDENTITY_REGISTRY_SECRET = "kaowu-test", SECRET
    identity_registry.cache_clear()
    with local_server(signed_broker(SECRET, decide)) as server:
        settings.KAOWU_IDENTITY_REGISTRY_URL = server.url + "/v1/id-check"
        yield server
    identity_registry.cache_clear()


def test_the_broker_answers_match_mismatch_and_not_found(broker):
    registry = HttpsIdentityRegistry()
    assert registry.check(real_name="张三", id_number="620102199001011233").outcome == RegistryOutcome.MATCH
    assert registry.check(real_name="李四", id_number="620102199001011233").outcome == RegistryOutcome.MISMATCH
    answer = registry.check(real_name="张三", id_number="620102199609232376")
    assert answer.outcome == RegistryOutcome.NOT_FOUND and answer.reference.startswith("GA")
    assert broker.requests[0].headers["x-kaowu-app-id"] == "kaowu-test"


def test_the_candidates_check_goes_through_the_broker(broker, gansu):
    user = CandidateFactory(user=UserFactory(real_name="李四", id_number="620102199001011233")).user
    check = registry_check(user=user)
    assert check.outcome == RegistryCheck.Outcome.MISMATCH and check.provider == "https-registry"
    assert len(broker.requests) == 1


def test_a_wrong_secret_is_refused_by_the_broker_and_never_matches(broker, settings):
    settings.KAOWU_IDENTITY_REGISTRY_SECRET = "not-the-secret"
    with pytest.raises(RegistryUnavailable):
        HttpsIdentityRegistry().check(real_name="张三", id_number="620102199001011233")


def test_an_unsigned_answer_is_not_trusted(settings):
    settings.KAOWU_IDENTITY_REGISTRY_APP_ID, settings.KAOWU_IDENTITY_REGISTRY_SECRET = "kaowu-test", SECRET
    # Someone answering in the broker's place, without the secret: says "match" to everything.
    with local_server(lambda request: Answer(body=b'{"result":"match","reference":"x"}')) as server:
        settings.KAOWU_IDENTITY_REGISTRY_URL = server.url + "/v1/id-check"
        with pytest.raises(RegistryUnavailable):
            HttpsIdentityRegistry().check(real_name="张三", id_number="620102199001011233")


def test_an_unknown_result_is_not_a_match(settings):
    settings.KAOWU_IDENTITY_REGISTRY_APP_ID, settings.KAOWU_IDENTITY_REGISTRY_SECRET = "kaowu-test", SECRET
    with local_server(signed_broker(SECRET, lambda request, payload: (200, {"result": "MATCH?"}))) as server:
        settings.KAOWU_IDENTITY_REGISTRY_URL = server.url + "/v1/id-check"
        with pytest.raises(RegistryUnavailable):
            HttpsIdentityRegistry().check(real_name="张三", id_number="620102199001011233")


def test_a_broker_that_does_not_answer_in_time_is_unavailable_for_the_candidate(broker, settings, gansu):
    settings.KAOWU_PROVIDER_TIMEOUT_SECONDS = 0.3
    user = CandidateFactory(user=UserFactory(real_name="张三", id_number="620102199001011233")).user
    with local_server(lambda request: Answer(delay=3)) as slow:
        settings.KAOWU_IDENTITY_REGISTRY_URL = slow.url + "/v1/id-check"
        with pytest.raises(IdentityError, match="暂不可用"):
            registry_check(user=user)
    assert RegistryCheck.objects.get(user=user).outcome == RegistryCheck.Outcome.UNAVAILABLE
