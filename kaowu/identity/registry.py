"""Online name + ID number check (seed 003: 姓名+身份证号在线认证) behind a provider interface.

Production plugs in the authority's citizen-identity service through KAOWU_IDENTITY_REGISTRY_PROVIDER:
`HttpsIdentityRegistry`, the signed HTTPS JSON call to the province's 公安 identity service broker.
The development provider checks the format and consults a small test registry, and behaves like a
real service in the ways that matter to the flow: a pair can match, mismatch, be unknown, or the
service can be unavailable.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from kaowu.core.providers import ProviderUnavailable, setting_problems, signed_json_post


class RegistryOutcome(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"


class RegistryUnavailable(Exception):
    """The service did not answer; nothing is known about the pair."""


@dataclass(frozen=True)
class RegistryAnswer:
    outcome: RegistryOutcome
    reference: str  # the provider's id for this query, kept for disputes

    @property
    def message(self) -> str:
        return {
            RegistryOutcome.MATCH: gettext("姓名与身份证号一致，身份认证通过。"),
            RegistryOutcome.MISMATCH: gettext("姓名与身份证号不一致。请核对姓名（含生僻字）和身份证号；如确认无误，请携带身份证到考区办理。"),
            RegistryOutcome.NOT_FOUND: gettext("未查询到该身份证号的登记信息。请核对身份证号；如确认无误，请携带身份证到考区办理。"),
        }[self.outcome]


class IdentityRegistryProvider:
    name = "base"
    development = True  # a real registry says False (see kaowu/core/providers.py)

    def check(self, *, real_name: str, id_number: str) -> RegistryAnswer:
        raise NotImplementedError


# The development registry: ID numbers the test registry knows with a different name, ID numbers it
# does not know, and one that makes the service time out. Every other well-formed pair matches.
DEV_REGISTRY_NAMES = {
    "620102199001011233": "张三",
}
DEV_REGISTRY_UNKNOWN = {"620102199001012340"}
DEV_REGISTRY_UNAVAILABLE = {"620102199001013458"}


class DevIdentityRegistry(IdentityRegistryProvider):
    name = "dev-registry"
    development = True  # matches every well-formed pair: never outside demo / debug mode

    def check(self, *, real_name: str, id_number: str) -> RegistryAnswer:
        import hashlib

        from kaowu.core.validation import normalize_id_number

        try:
            id_number = normalize_id_number(id_number)
        except ValidationError:
            return RegistryAnswer(RegistryOutcome.NOT_FOUND, "dev-invalid")
        reference = "dev-" + hashlib.sha256(f"{real_name}:{id_number}".encode()).hexdigest()[:12]
        if id_number in DEV_REGISTRY_UNAVAILABLE:
            raise RegistryUnavailable("身份核验服务暂不可用")
        if id_number in DEV_REGISTRY_UNKNOWN:
            return RegistryAnswer(RegistryOutcome.NOT_FOUND, reference)
        expected = DEV_REGISTRY_NAMES.get(id_number)
        if expected is not None and expected != real_name.strip():
            return RegistryAnswer(RegistryOutcome.MISMATCH, reference)
        return RegistryAnswer(RegistryOutcome.MATCH, reference)


@lru_cache(maxsize=1)
def identity_registry() -> IdentityRegistryProvider:
    return import_string(settings.KAOWU_IDENTITY_REGISTRY_PROVIDER)()


class HttpsIdentityRegistry(IdentityRegistryProvider):
    """The province's 公安 identity service broker, over the signed JSON protocol of
    kaowu/core/providers.py (KAOWU_IDENTITY_REGISTRY_URL / _APP_ID / _SECRET).

        request:  {"request_id": "<32 hex>", "name": "<姓名>", "id_number": "<18 characters>"}
        answer:   {"result": "match" | "mismatch" | "not_found", "reference": "<the broker's query id>"}

    Anything else — no answer in time, an unsigned or wrongly signed answer, an error status, an
    unknown result — is RegistryUnavailable: the check never passes on a doubt."""

    name = "https-registry"
    development = False

    @classmethod
    def configuration_problems(cls) -> list[str]:
        return setting_problems(required=("KAOWU_IDENTITY_REGISTRY_URL", "KAOWU_IDENTITY_REGISTRY_APP_ID",
                                          "KAOWU_IDENTITY_REGISTRY_SECRET"),
                                urls=("KAOWU_IDENTITY_REGISTRY_URL",))

    def check(self, *, real_name: str, id_number: str) -> RegistryAnswer:
        import secrets

        try:
            answer = signed_json_post(
                url=settings.KAOWU_IDENTITY_REGISTRY_URL, app_id=settings.KAOWU_IDENTITY_REGISTRY_APP_ID,
                secret=settings.KAOWU_IDENTITY_REGISTRY_SECRET,
                payload={"request_id": secrets.token_hex(16), "name": real_name.strip(), "id_number": id_number})
        except ProviderUnavailable as exc:
            raise RegistryUnavailable(f"身份核验服务暂不可用（{exc}）") from None
        try:
            outcome = RegistryOutcome(answer.get("result"))
        except ValueError:
            raise RegistryUnavailable("身份核验服务的应答无法识别") from None
        return RegistryAnswer(outcome, str(answer.get("reference") or "")[:64])
