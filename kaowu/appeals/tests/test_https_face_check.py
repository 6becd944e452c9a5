"""The real face check: HttpsFaceCheckProvider against a local stand-in of the face check broker
(signed JSON protocol, HMAC-SHA256 recomputed by the broker), through the appeal's services."""

import time

import pytest

from kaowu.appeals import services
from kaowu.appeals.facecheck import (
    FAILED,
    PASSED,
    PENDING,
    FaceCheckError,
    HttpsFaceCheckProvider,
    face_check_provider,
)
from kaowu.appeals.models import FaceCheck
from kaowu.appeals.services import AppealError
from kaowu.testing.http_server import local_server, signed_broker

SECRET = "face-broker-secret"


class Broker:
    """Alipay behind the broker: a certify per start; the test decides what the person did."""

    def __init__(self):
        self.checks: dict[str, str] = {}

    def __call__(self, request, payload):
        if request.path == "/face/start":
            session_id = f"alipay-certify-{len(self.checks) + 1}"
            self.checks[session_id] = PENDING
            return 200, {"session_id": session_id, "expires_at": int(time.time()) + 3600,
                         "qr_url": f"https://openapi.alipay.com/gateway.do?certify_id={session_id}"}
        if request.path == "/face/result":
            status = self.checks.get(payload.get("session_id"))
            return (200, {"status": status}) if status else (404, {"error": "not_found"})
        return 404, {"error": "not_found"}


@pytest.fixture
def broker(settings):
    settings.KAOWU_FACE_CHECK_PROVIDER = "kaowu.appeals.facecheck.HttpsFaceCheckProvider"
    settings.KAOWU_FACE_CHECK_APP_ID, settings.KAOWU_FACE_CHECK_SECRET = "kaowu-test", SECRET
    face_check_provider.cache_clear()
    state = Broker()
    with local_server(signed_broker(SECRET, state)) as server:
        settings.KAOWU_FACE_CHECK_URL = server.url + "/face"
        yield state
    face_check_provider.cache_clear()


def test_a_check_opens_on_the_broker_and_its_pass_is_read_back(broker, candidate, settings):
    check = services.face_check_start(user=candidate.user)
    assert check.provider == "https-face-check" and check.qr_url.startswith("https://openapi.alipay.com/")
    # The QR code lives as long as the setting says, not the hour the broker offered.
    assert (check.expires_at - check.created_at).total_seconds() <= settings.KAOWU_FACE_CHECK_QR_SECONDS + 1
    assert services.face_check_refresh(check=check).status == FaceCheck.Status.PENDING
    broker.checks[check.session_id] = PASSED
    assert services.face_check_refresh(check=check).status == FaceCheck.Status.PASSED


def test_a_failed_check_is_read_back(broker):
    provider = HttpsFaceCheckProvider()
    session = provider.start(reference="r1", real_name="张三", id_number="620102199001011233", seconds=60)
    broker.checks[session.session_id] = FAILED
    assert provider.result(session.session_id) == FAILED


def test_a_wrong_secret_opens_nothing(broker, candidate, settings):
    settings.KAOWU_FACE_CHECK_SECRET = "not-the-secret"
    with pytest.raises(AppealError, match="暂不可用"):
        services.face_check_start(user=candidate.user)
    assert not FaceCheck.objects.exists() and broker.checks == {}


def test_a_qr_url_that_is_not_https_is_refused(settings):
    settings.KAOWU_FACE_CHECK_APP_ID, settings.KAOWU_FACE_CHECK_SECRET = "kaowu-test", SECRET
    lying = signed_broker(SECRET, lambda request, payload: (200, {
        "session_id": "x1", "qr_url": "javascript:alert(1)", "expires_at": int(time.time()) + 60}))
    with local_server(lying) as server:
        settings.KAOWU_FACE_CHECK_URL = server.url + "/face"
        with pytest.raises(FaceCheckError):
            HttpsFaceCheckProvider().start(reference="r", real_name="张三", id_number="620102199001011233", seconds=60)


def test_an_answer_not_signed_by_the_broker_does_not_pass(settings, broker):
    settings.KAOWU_FACE_CHECK_APP_ID = "kaowu-test"
    forger = signed_broker(SECRET, lambda request, payload: (200, {"status": PASSED}), sign_answers=False)
    with local_server(forger) as server:
        settings.KAOWU_FACE_CHECK_URL = server.url + "/face"
        with pytest.raises(FaceCheckError):
            HttpsFaceCheckProvider().result("alipay-certify-1")
