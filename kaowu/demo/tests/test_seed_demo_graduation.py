"""毕业申请 in a fresh demo: 林静怡 (demo-lin) completes 行政管理, has a 证件照, and graduates all the way with
the demo's staff accounts — lzu (兰州大学, the 主考学校) and gs-reviewer — and the development provider's
passing 学历认证 number, to a 毕业证书编号. A second seed changes nothing."""

from django.urls import reverse

from kaowu.accounts.models import User
from kaowu.demo.graduation import PASSING_DIPLOMA
from kaowu.demo.services import demo_seed
from kaowu.graduation.models import Graduate
from kaowu.graduation.selectors import id_photo_of
from kaowu.organization.models import StaffMember
from kaowu.workflow import services as workflow
from kaowu.workflow.gates import ConfirmGate
from kaowu.workflow.models import Application

from .test_seed_demo import PREFIXES, seeded  # noqa: F401

REGISTER = {"work_unit": "兰州市城关区人民政府", "address": "甘肃省兰州市城关区庆阳路1号", "postcode": "730030",
            "phone": "13893100128", "resume_1_period": "2012.09—2015.07", "resume_1_unit": "兰州职业技术学院",
            "resume_1_role": "学生", "self_assessment": "遵纪守法，刻苦自学。"}


def test_lin_jingyi_graduates_with_the_demo_accounts(seeded, client, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.get(username="demo-lin")
    assert id_photo_of(user) is not None
    assert not demo_seed(region_prefixes=PREFIXES).changed
    client.force_login(user)
    assert 'href="/graduation/application/"' in client.get(reverse("portal:candidate_home")).content.decode()
    response = client.post(reverse("graduation:application_apply"), {"major": "120402"})
    application = Application.objects.get(candidate__user=user, type_code="graduation")
    client.post(reverse("graduation:application_degree", args=[application.number]),
                {"consent": "on", "certificate_number": PASSING_DIPLOMA})
    client.post(reverse("graduation:application_register", args=[application.number]), REGISTER)
    response = client.post(reverse("graduation:application_preview", args=[application.number]))
    assert response.status_code == 302
    lzu, province = (StaffMember.objects.get(user__username=name) for name in ("lzu", "gs-reviewer"))
    application = workflow.application_approve(application=Application.objects.get(pk=application.pk), staff=lzu)
    application = workflow.application_approve(application=application, staff=province)
    application.type.gate(ConfirmGate).confirm(application=application, actor=user)
    graduate = Graduate.objects.get(candidate__user=user)
    assert graduate.certificate_number.startswith("107306") and graduate.major.code == "120402"
