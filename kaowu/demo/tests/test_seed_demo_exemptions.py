"""免考申请 in a fresh demo: the window is open and the province's rules cover 张浩然's major, so he can
apply at once for a course of his plan he has not passed; lz-area reviews it first. `--reset` puts a
changed rule back."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaowu.accounts.models import User
from kaowu.demo.services import demo_seed
from kaowu.exemptions.models import ExemptionRule
from kaowu.organization.models import StaffMember
from kaowu.testing.files import png_bytes
from kaowu.workflow.models import Application
from kaowu.workflow.statuses import Status

from .test_seed_demo import PREFIXES, seeded  # noqa: F401


def test_zhang_haoran_applies_for_an_exemption_reviewed_by_lz_area(seeded, client):  # noqa: F811
    client.force_login(User.objects.get(username="demo-b"))
    home = client.get(reverse("portal:candidate_home")).content.decode()
    assert 'href="/exemptions/exemption/"' in home
    form = client.get("/exemptions/exemption/apply/").content.decode()
    assert "00529 文学概论（一）" in form
    assert 'value="03708"' not in form  # passed in 2026年10月: not offered
    assert 'value="00015"' not in form and 'value="00535"' not in form  # passed (2025年4月, 2026年10月)

    rule = ExemptionRule.objects.get(major__code="050105", kind="academic")
    saved = client.post("/exemptions/exemption/apply/", {
        "agree": "on", "kind": "academic", "rule": rule.pk, "school": "兰州城市学院", "studied_major": "汉语",
        "level": "junior_college", "academic_number": "107301201805001234", "graduated_on": "2018-07-01",
        "courses": ["00529"],
        "certificate_scan": SimpleUploadedFile("cert.png", png_bytes(), content_type="image/png")})
    assert saved.status_code == 302, saved.content.decode()
    client.post(saved["Location"])
    application = Application.objects.get(candidate__user__username="demo-b", type_code="exemption")
    assert application.status == Status.REVIEWING
    assert application.reviewing_office == StaffMember.objects.get(user__username="lz-area").office


def test_reset_restores_a_changed_rule_and_a_second_seed_changes_nothing(seeded):  # noqa: F811
    rule = ExemptionRule.objects.get(major__code="050105", kind="academic")
    rule.courses.set(rule.courses.filter(code="00529"))
    ExemptionRule.objects.filter(pk=rule.pk).update(is_active=False)
    assert not demo_seed(region_prefixes=PREFIXES).changed  # a person's change survives a restart
    demo_seed(region_prefixes=PREFIXES, reset=True)
    rule.refresh_from_db()
    assert rule.is_active and set(rule.courses.values_list("code", flat=True)) == {"00529", "00535"}
    assert not demo_seed(region_prefixes=PREFIXES, reset=True).changed
