"""学历认证 providers: the development one answers like 学信网 for its documented test numbers (pass, fail,
time out); the real one reads the broker's signed answer and never passes on a doubt."""

import datetime

import pytest

from kaowu.core.providers import ProviderUnavailable
from kaowu.graduation import degreecheck
from kaowu.graduation.degreecheck import (
    DegreeCheckUnavailable,
    DegreeOutcome,
    DevDegreeCheckProvider,
    HttpsDegreeCheckProvider,
)

PERSON = {"real_name": "张浩然", "id_number": "620102199609232376"}


def test_the_development_provider_passes_fails_and_times_out():
    provider = DevDegreeCheckProvider()
    passed = provider.check(certificate_number="125811202106000123", **PERSON)
    assert passed.passed and passed.school == "兰州职业技术学院" and passed.graduated_on == datetime.date(2021, 6, 30)
    failed = provider.check(certificate_number=degreecheck.DEV_FAILING, **PERSON)
    assert failed.outcome == DegreeOutcome.FAILED and failed.reason == "查无此证书"
    assert not provider.check(certificate_number="107301201806001234", **PERSON).passed  # unknown: not passed
    with pytest.raises(DegreeCheckUnavailable):
        provider.check(certificate_number=degreecheck.DEV_TIMEOUT, **PERSON)


@pytest.fixture
def broker(settings, monkeypatch):
    settings.KAOWU_DEGREE_CHECK_URL = "https://chsi.broker.example.org/v1/degree-check"
    settings.KAOWU_DEGREE_CHECK_APP_ID, settings.KAOWU_DEGREE_CHECK_SECRET = "kaowu", "secret"
    answers = []

    def post(**kwargs):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        assert kwargs["payload"]["certificate_number"] == "125811202106000123"
        return answer

    monkeypatch.setattr(degreecheck, "signed_json_post", post)
    return answers


def test_the_brokers_answer_is_read(broker):
    broker.append({"result": "passed", "reference": "q1", "school": "兰州职业技术学院", "major": "会计", "level": "专科",
                   "graduated_on": "2021-06-30"})
    answer = HttpsDegreeCheckProvider().check(certificate_number="125811202106000123", **PERSON)
    assert answer.passed and answer.reference == "q1" and answer.graduated_on == datetime.date(2021, 6, 30)


@pytest.mark.parametrize("answer", [ProviderUnavailable("no answer: timed out"), {"result": "maybe"},
                                    {"result": "passed", "graduated_on": "soon"}])
def test_no_answer_or_a_doubtful_one_is_unavailable(broker, answer):
    broker.append(answer)
    with pytest.raises(DegreeCheckUnavailable):
        HttpsDegreeCheckProvider().check(certificate_number="125811202106000123", **PERSON)


def test_the_provider_is_chosen_by_the_setting(settings):
    degreecheck.degree_check_provider.cache_clear()
    settings.KAOWU_DEGREE_CHECK_PROVIDER = "kaowu.graduation.degreecheck.HttpsDegreeCheckProvider"
    try:
        assert isinstance(degreecheck.degree_check_provider(), HttpsDegreeCheckProvider)
    finally:
        degreecheck.degree_check_provider.cache_clear()
