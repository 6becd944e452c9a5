"""The demo's 专升本 candidates: every step done, scores and volunteers in 普通批本科, so that plans,
segments, volunteers and — after a staff 投档 — results show data; the 西北师范大学 account may 退档."""

from django.test import Client

from kaowu.demo.services import demo_seed
from kaowu.demo.upgrade import DEMO_UPGRADE_COUNT
from kaowu.upgrade import admission_services, selectors
from kaowu.upgrade.models import AdmissionBatch, AdmissionResult, UpgradeRegistration, VolunteerSubmission

from .test_seed_demo import PREFIXES, seeded  # noqa: F401


def test_demo_upgrade_candidates_can_be_admitted(seeded):  # noqa: F811
    from kaowu.accounts.models import User

    registrations = UpgradeRegistration.objects.filter(user__username__startswith="demo-g")
    expected = min(DEMO_UPGRADE_COUNT, User.objects.filter(username__startswith="demo-g", exam_type="upgrade").count())
    assert expected >= 5 and registrations.count() == expected
    assert seeded.created["专升本报名"] == expected
    assert all(r.score.total > 0 for r in registrations)
    assert VolunteerSubmission.objects.filter(registration__in=registrations).count() == expected
    first = registrations.order_by("user__username").first()
    steps = [step for step in selectors.steps(first) if step.key != "forms"]
    assert len(steps) >= 5 and all(step.state == "done" for step in steps)

    again = demo_seed(region_prefixes=PREFIXES)
    assert not again.changed and registrations.count() == expected

    client = Client()
    User.objects.filter(pk=first.user_id).update(must_change_password=False)  # changed at first login
    client.force_login(first.user)
    assert "已提交" in client.get("/upgrade/volunteers/").content.decode()
    segments = client.get(f"/upgrade/segments/?category={first.category}").content.decode()
    in_category = registrations.filter(category=first.category).count()
    assert f'data-label="累计人数" class="mono">{in_category}<' in segments

    from kaowu.organization.models import StaffMember

    province = StaffMember.objects.get(user__username="gs-reviewer")
    run = admission_services.admission_run(batch=AdmissionBatch.objects.get(code="PT"), staff=province)
    assert run.filed == expected  # ample seats: everyone with volunteers is filed
    college_staff = StaffMember.objects.get(user__username="nwnu")
    college = selectors.college_of(staff=college_staff)
    assert college is not None and college.name == "西北师范大学"
    client.force_login(college_staff.user)
    page = client.get("/backoffice/upgrade/college/").content.decode()
    filed_here = AdmissionResult.objects.filter(run=run, plan__college=college).count()
    assert page.count('data-result="') == filed_here


def test_seed_demo_prints_how_to_see_the_upgrade_demo(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", *[f"--region-prefix={p}" for p in PREFIXES], stdout=out)
    text = out.getvalue()
    first = UpgradeRegistration.objects.filter(user__username__startswith="demo-g").order_by("user__username").first()
    assert f"专升本演示考生（已完成报名，有成绩和普通批志愿）：考生号 {first.user.candidate_number}" in text
    assert "nwnu" in text
