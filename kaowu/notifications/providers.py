"""SMS providers. Production plugs a real gateway in through KAOWU_SMS_PROVIDER: `AliyunSmsProvider`
(Alibaba Cloud SMS), or another class with `development = False`."""

import base64
import datetime
import hashlib
import hmac
import json
import urllib.request
import uuid
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.utils.module_loading import import_string

from kaowu.core.providers import ProviderUnavailable, http_open, json_object, setting_problems, url_is_safe


class SmsDeliveryError(Exception):
    """The gateway refused or failed to take the message."""


class SmsProvider:
    name = "base"
    development = True  # a real gateway says False (see kaowu/core/providers.py)

    def send(self, *, phone: str, text: str) -> str:
        """Hand one message to the gateway; return the gateway's message id."""
        raise NotImplementedError


class DevInboxSmsProvider(SmsProvider):
    """Behaves like a gateway that accepts the message, but delivers into the dev inbox.

    Numbers starting with 1990000 are refused, as a real gateway refuses an unreachable
    number, so the failure path can be tried by hand.
    """

    name = "dev-inbox"
    development = True
    failing_prefix = "1990000"

    def send(self, *, phone: str, text: str) -> str:
        from .models import DevInboxMessage

        if phone.startswith(self.failing_prefix):
            raise SmsDeliveryError("号码无法接收短信")
        message = DevInboxMessage.objects.create(channel=DevInboxMessage.Channel.SMS, recipient=phone, body=text)
        return f"dev-{message.pk}"


def aliyun_percent_encode(value: str) -> str:
    """Alibaba Cloud's percent-encoding (RFC 3986 over UTF-8: space is %20, * is %2A, ~ stays)."""
    return quote(value, safe="")


def aliyun_rpc_signature(*, method: str, params: dict[str, str], access_key_secret: str) -> str:
    """Signature of an Alibaba Cloud RPC request (SignatureMethod HMAC-SHA1, SignatureVersion 1.0):
    Base64(HMAC-SHA1(secret + "&", method & %2F & percentEncode(sorted, encoded query string)))."""
    canonical = "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"
    digest = hmac.new(f"{access_key_secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsProvider(SmsProvider):
    """Alibaba Cloud SMS (短信服务, dysmsapi 2017-05-25 SendSms).

    The text goes into the one variable (KAOWU_SMS_ALIYUN_TEMPLATE_PARAM, default `content`) of an
    approved template (KAOWU_SMS_ALIYUN_TEMPLATE_CODE) under the approved 签名
    (KAOWU_SMS_ALIYUN_SIGN_NAME). The request is a POST of the signed RPC parameters; the answer's
    `Code` is "OK" on success (its `BizId` is the message id), anything else is refused."""

    name = "aliyun"
    development = False
    action, version = "SendSms", "2017-05-25"
    # What a refusal means for the person, by the gateway's error code (else the generic message).
    _messages = {
        "isv.MOBILE_NUMBER_ILLEGAL": "手机号码格式错误",
        "isv.BUSINESS_LIMIT_CONTROL": "短信发送过于频繁，请稍后再试",
        "isv.DAY_LIMIT_CONTROL": "该号码今日接收短信已达上限",
        "isv.OUT_OF_SERVICE": "短信服务已停机",
        "isv.AMOUNT_NOT_ENOUGH": "短信服务余额不足",
        "isv.BLACK_KEY_CONTROL_LIMIT": "短信内容未通过审核",
    }

    @classmethod
    def configuration_problems(cls) -> list[str]:
        return setting_problems(required=("KAOWU_SMS_ALIYUN_ACCESS_KEY_ID", "KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET",
                                          "KAOWU_SMS_ALIYUN_SIGN_NAME", "KAOWU_SMS_ALIYUN_TEMPLATE_CODE"),
                                urls=("KAOWU_SMS_ALIYUN_ENDPOINT",))

    def request_params(self, *, phone: str, text: str) -> dict[str, str]:
        params = {
            "AccessKeyId": settings.KAOWU_SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": self.action,
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": settings.KAOWU_SMS_ALIYUN_REGION,
            "SignName": settings.KAOWU_SMS_ALIYUN_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": settings.KAOWU_SMS_ALIYUN_TEMPLATE_CODE,
            "TemplateParam": json.dumps({settings.KAOWU_SMS_ALIYUN_TEMPLATE_PARAM: text}, ensure_ascii=False),
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": self.version,
        }
        params["Signature"] = aliyun_rpc_signature(method="POST", params=params,
                                                   access_key_secret=settings.KAOWU_SMS_ALIYUN_ACCESS_KEY_SECRET)
        return params

    def send(self, *, phone: str, text: str) -> str:
        endpoint = settings.KAOWU_SMS_ALIYUN_ENDPOINT
        if not url_is_safe(endpoint):
            raise SmsDeliveryError("短信网关地址配置错误")
        body = "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}"
                        for k, v in self.request_params(phone=phone, text=text).items()).encode()
        request = urllib.request.Request(endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"})
        try:
            status, _headers, raw = http_open(request, timeout=settings.KAOWU_PROVIDER_TIMEOUT_SECONDS)
        except ProviderUnavailable as exc:
            raise SmsDeliveryError(f"短信网关无应答（{exc}）") from None
        answer = json_object(raw) or {}
        code = str(answer.get("Code", ""))
        if status == 200 and code == "OK" and answer.get("BizId"):
            return str(answer["BizId"])
        reason = self._messages.get(code, "短信发送失败")
        raise SmsDeliveryError(f"{reason}（{code or f'HTTP {status}'}）")


@lru_cache(maxsize=1)
def sms_provider() -> SmsProvider:
    return import_string(settings.KAOWU_SMS_PROVIDER)()
