"""manage.py seed_demo: the demo province, its offices, staff and candidates, and a login table."""

import time
import unicodedata

from django.core.management.base import BaseCommand

from kaowu.demo import data
from kaowu.demo.operations import demo_operations_note
from kaowu.demo.services import DemoLogin, DemoSummary, demo_seed
from kaowu.demo.upgrade import demo_upgrade_note


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
    out = [line, "| " + " | ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)) + " |", line]
    out += ["| " + " | ".join(_pad(str(c), w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    out.append(line)
    return out


def _password(login: DemoLogin) -> str:
    return login.password + ("（已在站内修改，--reset 可恢复）" if login.password_changed else "")


class Command(BaseCommand):
    help = "创建演示省份（甘肃省）的机构、工作人员和考生，并打印登录表。幂等：再次运行不改变任何数据。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="把演示数据（含演示账号的密码、状态）恢复为初始值；站内新增的数据不删除。")
        parser.add_argument("--region-prefix", action="append", dest="region_prefixes", metavar="NN",
                            help="只导入这些省份的行政区划（测试用；默认全国，演示所需省份总会导入）。")
        parser.add_argument("--base-url", default=data.DEFAULT_BASE_URL, help="打印的网址前缀。")
        parser.add_argument("--quiet", action="store_true", help="只打印一行摘要，不打印登录表。")

    def handle(self, *args, reset=False, region_prefixes=None, base_url=data.DEFAULT_BASE_URL, quiet=False,
               **options):
        started = time.monotonic()
        summary = demo_seed(region_prefixes=region_prefixes, reset=reset)
        elapsed = time.monotonic() - started
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(f"注意：{warning}"))
        self.stdout.write(self.style.SUCCESS(self._headline(summary, elapsed)))
        if quiet:
            return
        self._print_logins(summary, base_url.rstrip("/"))

    def _headline(self, summary: DemoSummary, elapsed: float) -> str:
        if not summary.changed:
            status = "演示数据已就绪，无变化"
        else:
            parts = [f"新增{label} {n}" for label, n in summary.created.items() if n]
            parts += [f"恢复{label} {n}" for label, n in summary.updated.items() if n]
            status = "演示数据：" + "，".join(parts)
        totals = " · ".join(f"{label} {n}" for label, n in summary.totals.items())
        return f"{status}（{elapsed:.1f} 秒）。现有 {totals}。"

    def _print_logins(self, summary: DemoSummary, base_url: str) -> None:
        write = self.stdout.write
        write("")
        write(f"工作人员 — 管理端登录 {base_url}/backoffice/login/")
        for line in table(["角色", "机构", "登录名", "密码", "姓名"],
                          [[s.role, s.office, s.login, _password(s), s.detail] for s in summary.staff_logins]):
            write(line)
        write("")
        write(f"考生 — 考生服务平台 {base_url}/ （身份证号、准考证号、手机号或考生号均可登录）")
        for line in table(["考生", "所属", "登录账号", "密码"],
                          [[c.role, c.office, c.login, _password(c)] for c in summary.candidate_logins]):
            write(line)
        for login in summary.candidate_logins:
            write(f"  {login.role.split(' · ')[0]}：{login.detail}")
        if summary.generated_candidates:
            write(f"  另有 {summary.generated_candidates} 名生成考生（用户名 demo-g001 起，分布在多个市州），"
                  f"密码均为 {data.CANDIDATE_PASSWORD}；专升本考生首次登录须按 12-16 位规则修改密码。")
        if note := demo_upgrade_note():
            write(note)
        for line in demo_operations_note():
            write(line)
        write("")
        for label, path in data.SITE_PATHS:
            write(f"{label}：{base_url}{path}")
        write("以上机构电话、地址及考生姓名、证件号、手机号均为演示数据（虚构），短信和邮件只投递到开发收件箱。")
