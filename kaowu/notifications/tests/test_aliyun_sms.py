"""Alibaba Cloud SMS (dysmsapi SendSms) against a local stand-in of the gateway that recomputes the
RPC signature (HMAC-SHA1, SignatureVersion 1.0) the way Alibaba Cloud's documentation describes it."""

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote_plus

import pytest

from kaowu.notifications.providers import AliyunSmsProvider, SmsDeliveryError, aliyun_rpc_signature
from kaowu.testing.http_server import Answer, local_server

SECRET = "test-access-key-secret"


def documented_encode(value: str) -> str:
    # The documentation's recipe: form-encode, then + → %20, * → %2A, %7E → ~.
    return quote_plus(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def expected_signature(params: dict, *, method: str = "POST") -> str:
    query = "&".join(f"{documented_encode(k)}={documented_encode(v)}" for k, v in sorted(params.items())
                     if k != "Signature")
    string_to_sign = f"{method}&%2F&{documented_encode(query)}"
    return base64.b64encode(hmac.new(f"{SECRET}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()).decode()


def gateway(request):
    """The gateway: refuses a wrong signature as Alibaba Cloud does, else answers by phone number."""
    params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    if params.get("Signature") != expected_signature(params):
        return Answer(400, json.dumps({"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not "
                                       "matched with our calculation.", "RequestId": "R0"}).encode())
    if params["PhoneNumbers"] == "13800000000":
        return Answer(200, json.dumps({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1",
                                       "RequestId": "R1"}, ensure_ascii=False).encode())
    return Answer(200, json.dumps({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0",
                                   "RequestId": "R2"}).encode())


@pytest.fixture
def aliyun(settings):
    settings.KAOWU_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test"
    settings.KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.KAOWU_SMS_ALIYUN_SIGN_NAME = "甘肃省教育考试院"
    settings.KAOWU_SMS_ALIYUN_TEMPLATE_CODE = "SMS_123456789"
    with local_server(gateway) as server:
        settings.KAOWU_SMS_ALIYUN_ENDPOINT = server.url + "/"
        yield server


def test_the_signature_matches_alibaba_clouds_documented_example():
    params = {"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
              "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}
    assert aliyun_rpc_signature(method="GET", params=params, access_key_secret="testsecret") == \
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_a_message_is_sent_signed_with_the_template_and_sign_name(aliyun):
    message_id = AliyunSmsProvider().send(phone="13912345678", text="您的验证码123456，5分钟内有效（~*+ &）")
    assert message_id == "900619746936498440^0"
    params = dict(parse_qsl(aliyun.requests[0].body.decode()))
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25"
    assert params["SignName"] == "甘肃省教育考试院" and params["TemplateCode"] == "SMS_123456789"
    assert json.loads(params["TemplateParam"]) == {"content": "您的验证码123456，5分钟内有效（~*+ &）"}
    assert params["SignatureMethod"] == "HMAC-SHA1" and params["SignatureVersion"] == "1.0"


def test_a_refusal_of_the_gateway_is_a_delivery_error(aliyun):
    with pytest.raises(SmsDeliveryError, match="过于频繁"):
        AliyunSmsProvider().send(phone="13800000000", text="验证码 1")


def test_a_wrong_secret_is_refused_by_the_gateway(aliyun, settings):
    settings.KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(SmsDeliveryError, match="SignatureDoesNotMatch"):
        AliyunSmsProvider().send(phone="13912345678", text="验证码 1")


def test_a_gateway_that_does_not_answer_in_time_is_a_delivery_error(settings):
    settings.KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.KAOWU_PROVIDER_TIMEOUT_SECONDS = 0.3
    with local_server(lambda request: Answer(delay=3)) as server:
        settings.KAOWU_SMS_ALIYUN_ENDPOINT = server.url + "/"
        with pytest.raises(SmsDeliveryError, match="无应答"):
            AliyunSmsProvider().send(phone="13912345678", text="验证码 1")


def test_a_plain_http_endpoint_elsewhere_is_refused(settings):
    settings.KAOWU_SMS_ALIYUN_ENDPOINT = "http://dysmsapi.aliyuncs.com/"
    assert "KAOWU_SMS_ALIYUN_ENDPOINT must be an https:// URL" in AliyunSmsProvider.configuration_problems()
    with pytest.raises(SmsDeliveryError):
        AliyunSmsProvider().send(phone="13912345678", text="验证码 1")
