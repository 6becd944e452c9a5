"""The demo's 实践性环节报名: 赵子轩 can register for 04748 at once; a generated 计算机科学与技术 candidate's
paid registration waits in 兰州理工大学's list (account lut), and the seed stays idempotent."""

from django.test import Client

from kaowu.accounts.models import User
from kaowu.demo.practicals import demo_practicals_note
from kaowu.demo.services import demo_seed
from kaowu.payments.models import Order
from kaowu.practicals.selectors import course_choices, practical_items_for_staff
from kaowu.practicals.types import CODE, REGISTERED
from kaowu.workflow.models import Application

from .test_seed_demo import PREFIXES, seeded  # noqa: F401


def test_demo_practical_registration(seeded):  # noqa: F811
    from kaowu.organization.models import StaffMember

    paid = Application.objects.get(type_code=CODE)
    assert paid.status == REGISTERED and paid.reviewing_office.code == "U10731"
    assert paid.candidate.user.username.startswith("demo-g")
    assert Order.objects.get(reference=paid.number).status == Order.Status.PAID
    lut = StaffMember.objects.get(user__username="lut")
    assert [item.key for item in practical_items_for_staff(staff=lut)] == ["04748"]
    assert seeded.created["实践性环节报名"] == 1

    zhao = User.objects.get(username="demo-d").candidate
    assert [c.course.code for c in course_choices(candidate=zhao) if not c.registered] == ["04748"]
    client = Client()
    client.force_login(zhao.user)
    assert 'href="/practicals/registration/apply/"' in client.get("/practicals/registration/").content.decode()
    client.force_login(lut.user)
    assert paid.candidate.user.real_name in client.get("/backoffice/practicals/").content.decode()
    assert "lut" in demo_practicals_note()[0] and paid.number in demo_practicals_note()[0]

    again = demo_seed(region_prefixes=PREFIXES)
    assert not again.changed and Application.objects.filter(type_code=CODE).count() == 1
