"""Demo data for 毕业申请: 林静怡 (demo-lin, 准考证号 010215100073, 行政管理 本科) has passed every course of the
行政管理 plan (the required ones and one elective) and has a 证件照 on her passed identity verification, so
that 个人中心 › 毕业申请 can be walked to the end: 毕业专业 行政管理 → 学历认证 with the development
provider's passing test number 125811202106000123 → 毕业生登记表 → 确认提交申请 → the 主考学校 兰州大学
(`lzu`) → the province (`gs-reviewer`) → 待考生网上确认 → 确认毕业信息无误 → 毕业证书编号.

Her courses are 考试合格 records carried over from the old system (no sitting of this site), so no score
import is needed. The photo is a drawn placeholder (no real person). Idempotent: each part is written
only when missing (a person may have changed things on the site since).
"""

import datetime
import hashlib
import io
from collections import Counter
from decimal import Decimal

from django.core.files.base import ContentFile

from kaowu.accounts.models import User
from kaowu.catalog.models import Major, PlanCourse

USERNAME = "demo-lin"
MAJOR_CODE = "120402"  # 行政管理 (本科), 主考学校 兰州大学 (U10730, account lzu)
PASSING_DIPLOMA = "125811202106000123"  # the development 学历认证 provider's passing test number


def placeholder_portrait() -> bytes:
    """A 证件照-sized JPEG (358×441, light blue) with a drawn head and shoulders: no real face."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (358, 441), (214, 232, 248))
    draw = ImageDraw.Draw(image)
    draw.ellipse((109, 70, 249, 230), fill=(238, 214, 196))
    draw.pieslice((39, 250, 319, 560), 180, 360, fill=(58, 72, 96))
    draw.rectangle((154, 222, 204, 262), fill=(238, 214, 196))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def seed_demo_graduation(*, created: Counter) -> None:
    from kaowu.graduation.models import Graduate
    from kaowu.identity.models import Photo, Verification
    from kaowu.records.models import PassedCourse

    user = User.objects.filter(username=USERNAME).select_related("candidate").first()
    major = Major.objects.filter(code=MAJOR_CODE).first()
    candidate = getattr(user, "candidate", None) if user else None
    if candidate is None or major is None or Graduate.objects.filter(candidate=candidate).exists():
        return
    verification = Verification.objects.filter(user=user, status=Verification.Status.PASSED).first()
    if verification is not None and not verification.photos.filter(kind=Photo.Kind.ID_PHOTO, is_current=True,
                                                                   deleted_at__isnull=True).exists():
        content = placeholder_portrait()
        Photo.objects.create(verification=verification, kind=Photo.Kind.ID_PHOTO, width=358, height=441,
                             sha256=hashlib.sha256(content).hexdigest(),
                             file=ContentFile(content, name="demo-lin-id-photo.jpg"))
        created[Photo._meta.verbose_name] += 1
    groups = set()
    for index, item in enumerate(PlanCourse.objects.filter(major=major).select_related("course")
                                 .order_by("position", "pk")):
        if item.requirement != PlanCourse.Requirement.REQUIRED:
            if item.group_label in groups:
                continue  # one course of each elective group
            groups.add(item.group_label)
        _, made = PassedCourse.objects.get_or_create(
            candidate=candidate, course=item.course,
            defaults={"source": PassedCourse.Source.EXAM, "score": Decimal(64 + (index * 9) % 28),
                      "passed_on": datetime.date(2016 + index // 2, 4 if index % 2 else 10, 30),
                      "note": "旧系统考试合格记录（演示数据）"})
        created[PassedCourse._meta.verbose_name] += made


def demo_graduation_note() -> list[str]:
    """The line seed_demo prints about it."""
    from kaowu.graduation.models import Graduate

    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        return []
    graduate = Graduate.objects.filter(candidate__user=user).first()
    if graduate is not None:
        return [f"  毕业申请：林静怡已毕业（行政管理，毕业证书编号 {graduate.certificate_number}）。"]
    return [f"  毕业申请开放中：林静怡（身份证号 {user.id_number}，行政管理课程全部合格）在 个人中心 › 毕业申请 申请，"
            f"学历认证用测试证书编号 {PASSING_DIPLOMA}（通过）；主考学校账号 lzu 初审、省级账号 gs-reviewer 终审"
            "（管理端 › 申请审核），考生确认毕业信息无误后颁发毕业证书编号。"]
