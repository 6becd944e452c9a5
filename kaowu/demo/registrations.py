"""Demo 报考: the generated candidates' registrations in the demo sitting, so that the staff pages
(报考统计, later 考场编排) have something to show. Written as rows — as an import from the old
system would — because these candidates never verified their identity on the platform.

Deterministic and idempotent: a 准考证号 that already has a registration in the sitting is left alone."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from kaowu.candidates.models import ExamNumber
from kaowu.catalog.models import ExamSitting, Major, SittingCourse
from kaowu.payments.models import Channel, Order, OrderItem, OrderStatusChange, Payment
from kaowu.payments.services.orders import new_number
from kaowu.registration.models import RegisteredCourse, Registration, RegistrationSubmission

SEED = 4027
SHARE_REGISTERED = 0.75
SHARE_PAID = 0.8


def _choose_courses(rng: random.Random, own: list[SittingCourse], others: list[SittingCourse]) -> list[SittingCourse]:
    """2–4 courses of the major, sometimes one of another major, never two in one session."""
    chosen, sessions = [], set()
    pool = own[:]
    rng.shuffle(pool)
    for sc in pool:
        if sc.session_id not in sessions and len(chosen) < rng.randint(2, 4):
            chosen.append(sc)
            sessions.add(sc.session_id)
    if others and rng.random() < 0.2:
        sc = rng.choice(others)
        if sc.session_id not in sessions and sc.course_id not in {c.course_id for c in chosen}:
            chosen.append(sc)
    return chosen


def seed_demo_registrations(*, sitting: ExamSitting, exam_numbers: list[ExamNumber]) -> int:
    """Registrations for some of `exam_numbers` (generated candidates); returns how many were made."""
    rng = random.Random(SEED)
    offered = list(SittingCourse.objects.filter(sitting=sitting).select_related("course").order_by("course__code"))
    plans = {}
    for major in Major.objects.exclude(status=Major.Status.CLOSED).order_by("code").prefetch_related("plan_courses"):
        in_plan = {p.course_id for p in major.plan_courses.all()}
        plans[major.name] = (major, [sc for sc in offered if sc.course_id in in_plan],
                             [sc for sc in offered if sc.course_id not in in_plan])
    open_majors = [name for name, (major, own, _) in plans.items() if major.status == Major.Status.OPEN and own]
    areas = set(sitting.area_links.values_list("exam_area_id", flat=True))
    done = set(Registration.objects.filter(sitting=sitting).values_list("exam_number_id", flat=True))
    now = timezone.now()
    made = 0
    for number in sorted(exam_numbers, key=lambda n: n.number):
        # Draw for every number, registered or not, so that the choices stay the same on every run.
        registers, pays = rng.random() < SHARE_REGISTERED, rng.random() < SHARE_PAID
        at = now - timedelta(hours=rng.randint(2, 120))
        name = number.major_name if number.major_name in plans else rng.choice(open_majors)
        if not plans[name][1]:
            name = rng.choice(open_majors)
        major, own, others = plans[name]
        chosen = _choose_courses(rng, own, others)
        if not registers or number.pk in done or number.exam_area_id not in areas or not chosen:
            continue
        with transaction.atomic():
            _register(number=number, sitting=sitting, major=major, chosen=chosen, paid=pays,
                      own_ids={sc.course_id for sc in own}, at=at)
        made += 1
    return made


def _register(*, number, sitting, major, chosen, paid: bool, own_ids: set, at) -> None:
    user = number.candidate.user
    status = Registration.Status.SUCCEEDED if paid else Registration.Status.PENDING_PAYMENT
    registration = Registration.objects.create(exam_number=number, sitting=sitting, exam_area=number.exam_area,
                                               major=major, status=status, guide_agreed_at=at, submitted_at=at,
                                               submission_count=1)
    courses = [RegisteredCourse.objects.create(registration=registration, sitting_course=sc, course_id=sc.course_id,
                                               fee=sc.fee, cross_major=sc.course_id not in own_ids) for sc in chosen]
    amount = sum((rc.fee for rc in courses), Decimal("0.00"))
    order = Order.objects.create(
        number=new_number("KW", Order), user=user, purpose=Order.Purpose.COURSE_REGISTRATION,
        reference=registration.order_reference, title=f"{sitting.name}报考费", amount=amount,
        status=Order.Status.PAID if paid else Order.Status.PENDING, expires_at=at + timedelta(minutes=30),
        paid_at=at + timedelta(minutes=3) if paid else None, provider=Channel.WECHAT if paid else "",
        provider_trade_no=f"DEMO{registration.pk:010d}" if paid else "")
    OrderStatusChange.objects.create(order=order, from_status="", to_status=Order.Status.PENDING,
                                     source=OrderStatusChange.Source.USER, actor=user, comment="创建订单")
    if paid:
        Payment.objects.create(order=order, channel=Channel.WECHAT, trade_no=order.provider_trade_no, amount=amount,
                               paid_at=order.paid_at, outcome=Payment.Outcome.APPLIED,
                               source=Payment.Source.NOTIFICATION)
        OrderStatusChange.objects.create(order=order, from_status=Order.Status.PENDING, to_status=Order.Status.PAID,
                                         source=OrderStatusChange.Source.GATEWAY, comment="缴费成功")
    for rc in courses:
        item = OrderItem.objects.create(order=order, description=f"{rc.course.code} {rc.course.name} 报考费",
                                        amount=rc.fee, reference=str(rc.pk))
        rc.order, rc.order_item = order, item if paid else None
        rc.status = RegisteredCourse.Status.PAID if paid else RegisteredCourse.Status.UNPAID
        rc.save(update_fields=["order", "order_item", "status"])
    codes = sorted(rc.course.code for rc in courses)
    common = dict(registration=registration, exam_area_name=number.exam_area.name,
                  major_label=f"{major.code} {major.name}", course_codes=codes)
    RegistrationSubmission.objects.create(action=RegistrationSubmission.Action.SUBMITTED, from_status="",
                                          to_status=Registration.Status.PENDING_PAYMENT, actor=user, **common)
    if paid:
        RegistrationSubmission.objects.create(action=RegistrationSubmission.Action.PAID,
                                              from_status=Registration.Status.PENDING_PAYMENT,
                                              to_status=Registration.Status.SUCCEEDED, comment=f"订单 {order.number}",
                                              **common)
