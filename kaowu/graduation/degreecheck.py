"""学历认证 (seed 003, 毕业申请: “本科毕业，同意学历认证后，完成在线学历认证”): a 本科 graduate's earlier
专科 diploma checked online, as 学信网 (中国高等教育学生信息网, CHSI) does it, behind a provider interface.

A provider answers `check(certificate_number=..., real_name=..., id_number=...)` with a `DegreeAnswer`:
passed (the diploma exists and is this person's: school, major, level, graduation date) or failed (no
such diploma, or another person's), or raises `DegreeCheckUnavailable` when the service does not answer
in time (a timeout): nothing is known then, the candidate is told so, what he typed is kept, and he may
try again or upload 学历认证材料 instead — as after a failed check.

The provider is chosen by KAOWU_DEGREE_CHECK_PROVIDER (a dotted path), as the face check and the
identity registry are (`kaowu.appeals.facecheck`, `kaowu.identity.registry`): the default is the
development provider, which the system check `kaowu.core.checks.providers_check` refuses outside demo or
debug mode (`development = True`), so production must name a real one. `HttpsDegreeCheckProvider` is
that one: the province's 学历认证 broker (which queries CHSI) over the signed JSON protocol of
kaowu/core/providers.py.

The development provider behaves like CHSI for documented test certificate numbers (README.md and, in
demo mode, the 学历认证 page list them):

    125811202106000123  通过 (兰州职业技术学院 · 会计 · 专科 · 2021年06月30日)
    125811201906000456  通过 (甘肃建筑职业技术学院 · 建筑工程技术 · 专科 · 2019年06月30日)
    125811202106000999  不通过 (查无此证书)
    125811202106000000  超时 (学历认证服务无响应)

Every other well-formed number (18 digits) is unknown to it, hence not passed, like a number CHSI has
no record of.
"""

import datetime
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from kaowu.core.providers import ProviderUnavailable, setting_problems, signed_json_post

CERTIFICATE_NUMBER = re.compile(r"^[0-9]{18}$")


class DegreeOutcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class DegreeCheckUnavailable(Exception):
    """The service did not answer in time (or answered what cannot be trusted): nothing is known."""


@dataclass(frozen=True)
class DegreeAnswer:
    outcome: DegreeOutcome
    reference: str = ""  # the provider's id of this query, kept for disputes
    school: str = ""
    major: str = ""
    level: str = ""  # 专科 / 本科
    graduated_on: datetime.date | None = None
    reason: str = ""  # why it did not pass, as the service says it

    @property
    def passed(self) -> bool:
        return self.outcome == DegreeOutcome.PASSED


class DegreeCheckProvider:
    name = "base"
    development = True  # a real provider says False (see kaowu/core/providers.py)

    def check(self, *, certificate_number: str, real_name: str, id_number: str) -> DegreeAnswer:
        raise NotImplementedError


# The development provider's documented test numbers (README.md, the 学历认证 page in demo mode).
DEV_PASSING = {
    "125811202106000123": ("兰州职业技术学院", "会计", "专科", datetime.date(2021, 6, 30)),
    "125811201906000456": ("甘肃建筑职业技术学院", "建筑工程技术", "专科", datetime.date(2019, 6, 30)),
}
DEV_FAILING = "125811202106000999"
DEV_TIMEOUT = "125811202106000000"


class DevDegreeCheckProvider(DegreeCheckProvider):
    """Development stand-in for CHSI's 学历认证 (see the module docstring)."""

    name = "dev-degree-check"
    development = True  # passes its test numbers for anyone: never outside demo / debug mode

    def check(self, *, certificate_number: str, real_name: str, id_number: str) -> DegreeAnswer:
        number = certificate_number.strip()
        reference = "dev-" + secrets.token_hex(6)
        if number == DEV_TIMEOUT:
            raise DegreeCheckUnavailable("学历认证服务无响应（开发环境模拟超时）")
        if number in DEV_PASSING:
            school, major, level, graduated_on = DEV_PASSING[number]
            return DegreeAnswer(DegreeOutcome.PASSED, reference, school, major, level, graduated_on)
        return DegreeAnswer(DegreeOutcome.FAILED, reference, reason=gettext("查无此证书"))


class HttpsDegreeCheckProvider(DegreeCheckProvider):
    """The province's 学历认证 broker (KAOWU_DEGREE_CHECK_URL / _APP_ID / _SECRET), which queries CHSI,
    over the signed JSON protocol of kaowu/core/providers.py:

        request:  {"request_id": "<32 hex>", "certificate_number": "<18 digits>", "name": "<姓名>",
                   "id_number": "<18 characters>"}
        answer:   {"result": "passed" | "failed", "reference": "<the broker's query id>",
                   "school": "…", "major": "…", "level": "专科", "graduated_on": "YYYY-MM-DD",
                   "reason": "<why not, when failed>"}

    Anything else — no answer within KAOWU_PROVIDER_TIMEOUT_SECONDS, an unsigned or wrongly signed
    answer, an error status, an unknown result — is DegreeCheckUnavailable: a check never passes on a doubt."""

    name = "https-degree-check"
    development = False

    @classmethod
    def configuration_problems(cls) -> list[str]:
        return setting_problems(required=("KAOWU_DEGREE_CHECK_URL", "KAOWU_DEGREE_CHECK_APP_ID",
                                          "KAOWU_DEGREE_CHECK_SECRET"), urls=("KAOWU_DEGREE_CHECK_URL",))

    def check(self, *, certificate_number: str, real_name: str, id_number: str) -> DegreeAnswer:
        try:
            answer = signed_json_post(
                url=settings.KAOWU_DEGREE_CHECK_URL, app_id=settings.KAOWU_DEGREE_CHECK_APP_ID,
                secret=settings.KAOWU_DEGREE_CHECK_SECRET,
                payload={"request_id": secrets.token_hex(16), "certificate_number": certificate_number.strip(),
                         "name": real_name.strip(), "id_number": id_number})
        except ProviderUnavailable as exc:
            raise DegreeCheckUnavailable(f"学历认证服务暂不可用（{exc}）") from None
        try:
            outcome = DegreeOutcome(answer.get("result"))
        except ValueError:
            raise DegreeCheckUnavailable("学历认证服务的应答无法识别") from None
        graduated_on = None
        if outcome == DegreeOutcome.PASSED:
            try:
                graduated_on = datetime.date.fromisoformat(str(answer.get("graduated_on") or ""))
            except ValueError:
                raise DegreeCheckUnavailable("学历认证服务的应答无法识别") from None

        def text(key: str, limit: int = 60) -> str:
            return str(answer.get(key) or "")[:limit]

        return DegreeAnswer(outcome, text("reference", 64), text("school"), text("major"), text("level", 10),
                            graduated_on, text("reason", 100))


@lru_cache(maxsize=1)
def degree_check_provider() -> DegreeCheckProvider:
    return import_string(settings.KAOWU_DEGREE_CHECK_PROVIDER)()


def dev_test_numbers() -> list[tuple[str, str]]:
    """(number, what it does) of the development provider, for the page in demo mode."""
    passing = [(number, gettext("通过（%(school)s · %(major)s · %(level)s）") % {
        "school": school, "major": major, "level": level}) for number, (school, major, level, _) in DEV_PASSING.items()]
    return [*passing, (DEV_FAILING, gettext("不通过（查无此证书）")), (DEV_TIMEOUT, gettext("超时（服务无响应）"))]
