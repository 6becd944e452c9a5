"""专升本 我的报考 (seed 004 §2.8): the step rail and each step's page."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kaowu.accounts.decorators import candidate_required
from kaowu.core.http import client_ip
from kaowu.core.text import Form
from kaowu.filing.choices import NATIONS, POLITICAL_STATUSES, as_choices
from kaowu.verification.forms import CaptchaField

from . import selectors, services
from .models import NOTICES, CandidateType, Category, MusicTest

NOTICE_PAGES = {
    "instructions": (_("报考须知"), _("我已知晓"), [
        _("一、报考对象为本省普通高校全日制高职（专科）应届毕业生及符合条件的退役士兵等。"),
        _("二、考生须使用报名点下发的考生号登录，按流程依次完成填写基本信息、信息确认、身份认证、网上支付和报考资格审核，逾期不予补报。"),
        _("三、一个身份证号和一个手机号只能填报一次；考生须如实填写个人信息，因信息错误造成的后果由考生本人承担。"),
        _("四、报名点或所在地市上报数据后，报名信息不能再修改。"),
    ]),
    "rules": (_("教育考试违规处理办法"), _("我已知晓"), [
        _("考生不遵守考场纪律，不服从考试工作人员的安排与要求，或有其他违纪违规行为的，将依据《国家教育考试违规处理办法》予以处理。"),
        _("伪造、变造身份证、准考证及其他证明材料，由他人代替或者代替他人参加考试的，其当次考试各科成绩无效，并视情节给予暂停参加各种国家教育考试的处理；构成犯罪的，依法追究刑事责任。"),
        _("提供虚假证明材料、骗取报考资格或加分资格的，取消报考资格或录取资格。"),
    ]),
    "pledge": (_("考生承诺书"), _("我同意"), [
        _("本人已认真阅读报考须知和《国家教育考试违规处理办法》，自愿参加本次专升本选拔考试。"),
        _("本人承诺所填报的信息和提交的材料真实、准确、完整，如有虚假，愿意承担由此造成的一切后果。"),
        _("本人承诺自觉遵守考试纪律，诚信应考，不作弊，不协助他人作弊。"),
    ]),
}


def _registration(request):
    registration = services.registration_of(user=request.user)
    return registration


@never_cache
@candidate_required
def overview(request):
    """我的报考: the step rail and where to go next."""
    registration = _registration(request)
    steps = selectors.steps(registration)
    current = next((s for s in steps if s.state in ("current", "failed")), None)
    return render(request, "upgrade/overview.html", {
        "registration": registration, "steps": steps, "current": current,
        "lock_reason": services.report_lock_reason(registration),
    })


@candidate_required
def notice_next(request):
    name = services.notice_next(_registration(request))
    return redirect("upgrade:notice", name=name or NOTICES[-1])


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def notice(request, name: str):
    """报考须知 → 教育考试违规处理办法 → 考生承诺书: the button unlocks after 10 seconds (and the server
    refuses an earlier click)."""
    if name not in NOTICE_PAGES:
        raise Http404
    registration = _registration(request)
    try:
        if request.method == "POST":
            services.notice_acknowledge(registration=registration, name=name)
            registration.refresh_from_db()
            following = services.notice_next(registration)
            return redirect("upgrade:notice", name=following) if following else redirect("upgrade:basic")
        seconds_left = services.notice_show(registration=registration, name=name)
    except services.UpgradeError as exc:
        messages.warning(request, exc.message)
        following = services.notice_next(registration)
        if following and following != name:
            return redirect("upgrade:notice", name=following)
        seconds_left = services.notice_show(registration=registration, name=name) if following else 0
    title, button, paragraphs = NOTICE_PAGES[name]
    registration.refresh_from_db()
    return render(request, "upgrade/notice.html", {
        "registration": registration, "steps": selectors.steps(registration), "name": name, "title": title,
        "button": button, "paragraphs": paragraphs, "seconds_left": seconds_left, "total_seconds": services.countdown_seconds(),
        "already_read": registration.notice_read(name), "position": NOTICES.index(name) + 1,
    })


class BasicForm(Form):
    gender = forms.ChoiceField(label=_("性别"), choices=[("", _("请选择")), ("男", _("男")), ("女", _("女"))])
    nation = forms.ChoiceField(label=_("民族"))
    political_status = forms.ChoiceField(label=_("政治面貌"))
    phone = forms.RegexField(label=_("手机号码"), regex=r"^1[3-9]\d{9}$",
                             error_messages={"invalid": _("请输入11位手机号码")})
    school = forms.CharField(label=_("毕业院校名称"), max_length=80)
    junior_major = forms.CharField(label=_("专科所学专业"), max_length=80)
    candidate_type = forms.ChoiceField(label=_("考生类别"), choices=[("", _("请选择"))] + CandidateType.choices)
    rural = forms.TypedChoiceField(label=_("户口性质"), coerce=lambda v: v == "1",
                                   choices=[("0", _("城镇")), ("1", _("农村"))], initial="0")
    category = forms.ChoiceField(label=_("报考专业类别"), choices=[("", _("请选择"))] + Category.choices)
    music_test = forms.ChoiceField(label=_("测试主项"), required=False,
                                   choices=[("", _("请选择"))] + MusicTest.choices,
                                   help_text=_("仅报考音乐类专业的考生填写"))
    award_claim = forms.BooleanField(label=_("申请奖励加分（须上传获奖证书）"), required=False)
    poverty_claim = forms.BooleanField(label=_("建档立卡贫困家庭（须上传证明材料）"), required=False)
    household = forms.CharField(label=_("户籍信息"), max_length=80, help_text=_("省/市/区县，例如：山西省/太原市/小店区"))
    recipient = forms.CharField(label=_("收件人"), max_length=30)
    recipient_phone = forms.RegexField(label=_("收件人手机号码"), regex=r"^1[3-9]\d{9}$",
                                       error_messages={"invalid": _("请输入11位手机号码")})
    postcode = forms.RegexField(label=_("邮政编码"), regex=r"^\d{6}$", error_messages={"invalid": _("邮编为6位数字")})
    mail_address = forms.CharField(label=_("通知书邮寄地址"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nation"].choices = [("", gettext("请选择"))] + as_choices(NATIONS)
        self.fields["political_status"].choices = [("", gettext("请选择"))] + as_choices(POLITICAL_STATUSES)

    def clean(self):
        data = super().clean()
        if data.get("category") == Category.MUSIC and not data.get("music_test"):
            self.add_error("music_test", gettext("报考音乐类专业须选择测试主项"))
        return data


def _resume_rows(request, registration) -> list[dict]:
    if request.method == "POST":
        keys = ("start", "end", "organization", "role")
        columns = {k: request.POST.getlist(f"resume_{k}") for k in keys}
        count = max((len(v) for v in columns.values()), default=0)
        return [{k: (columns[k][i] if i < len(columns[k]) else "") for k in keys} for i in range(count)]
    rows = [{"start": r.start, "end": r.end, "organization": r.organization, "role": r.role}
            for r in registration.resume.all()]
    return rows or [{"start": "", "end": "", "organization": "", "role": ""}]


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def basic(request):
    """填写基本信息: * marks required fields; 个人简历 rows can be added and removed; nothing is lost on
    an error. Disabled (with the reason) once the 报名点 or its city reported its data."""
    registration = _registration(request)
    if services.notice_next(registration) is not None:
        messages.info(request, gettext("请先阅读报考须知、教育考试违规处理办法和考生承诺书。"))
        return redirect("upgrade:notice_next")
    problem = services.basic_editable_error(registration)
    initial = {f: getattr(registration, f) for f in services.BASIC_FIELDS}
    initial["rural"] = "1" if registration.rural else "0"
    form = BasicForm(request.POST or None, initial=initial)
    resume_error = ""
    if request.method == "POST" and not problem:
        rows = _resume_rows(request, registration)
        if form.is_valid():
            try:
                services.basic_save(registration=registration, data=form.cleaned_data, resume=rows)
            except services.UpgradeError as exc:
                if exc.field == "resume":
                    resume_error = exc.message
                else:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("upgrade:confirm")
    return render(request, "upgrade/basic.html", {
        "registration": registration, "steps": selectors.steps(registration), "form": form, "problem": problem,
        "resume": _resume_rows(request, registration), "resume_error": resume_error,
    }, status=400 if request.method == "POST" and (form.errors or resume_error or problem) else 200)


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def confirm(request):
    """信息确认: the saved information as entered; 确定, 返回修改 or 放弃报名."""
    registration = _registration(request)
    if registration.basic_saved_at is None:
        return redirect("upgrade:basic")
    if request.method == "POST":
        try:
            services.basic_confirm(registration=registration)
        except services.UpgradeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("基本信息已确认。下一步：身份认证。"))
            return redirect("upgrade:overview")
    return render(request, "upgrade/confirm.html", {
        "registration": registration, "steps": selectors.steps(registration),
        "resume": registration.resume.all(), "editable": services.basic_editable_error(registration) is None,
    })


class AbandonForm(Form):
    captcha = CaptchaField()
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, min_length=6,
                               error_messages={"required": _("请输入短信验证码")})


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def abandon(request):
    """放弃报名: 图形验证码 + 短信验证码 to the account's phone, then back to the home page."""
    from kaowu.verification.models import VerificationCode
    from kaowu.verification.services import VerificationError, code_send

    registration = _registration(request)
    phone = request.user.phone
    form = AbandonForm(request.POST or None) if request.POST.get("action") != "send" else AbandonForm()
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            code_send(target=phone, purpose=VerificationCode.Purpose.ABANDON_REGISTRATION, ip=client_ip(request))
            messages.info(request, gettext("验证码已发送至您的手机，5分钟内有效。"))
        except VerificationError as exc:
            messages.error(request, str(exc))
    elif request.method == "POST" and form.is_valid():
        try:
            services.abandon(registration=registration, sms_code=form.cleaned_data["sms_code"])
        except services.UpgradeError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("您已放弃本次专升本报名。"))
            return redirect("portal:candidate_home")
    return render(request, "upgrade/abandon.html", {"registration": registration, "form": form, "phone": phone})


@candidate_required
@require_http_methods(["GET", "POST"])
def payment(request):
    """网上支付: 立即支付 makes (or finds) the order and opens its page with the channels."""
    registration = _registration(request)
    if request.method == "GET":
        return render(request, "upgrade/payment.html", {
            "registration": registration, "steps": selectors.steps(registration)})
    try:
        order = services.payment_start(registration=registration)
    except services.UpgradeError as exc:
        messages.error(request, exc.message)
        return redirect("upgrade:overview")
    return redirect("payments:order_detail", number=order.number)



class DocumentForm(Form):
    file = forms.FileField(label=_("文件"), error_messages={"required": _("请选择要上传的文件")})


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def documents(request):
    """资料上传 (报考资格审核): the materials the candidate type and the claims require, then 确定."""
    from .models import QualificationDocument

    registration = _registration(request)
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "submit":
                services.documents_submit(registration=registration)
                messages.success(request, gettext("材料已提交，审核状态变为“审核中”，请等待审核。"))
                return redirect("upgrade:overview")
            kind = action.removeprefix("upload:")
            services.document_upload(registration=registration, kind=kind, upload=request.FILES.get(f"file_{kind}"))
            messages.success(request, gettext("已上传。"))
            return redirect("upgrade:documents")
        except services.UpgradeError as exc:
            errors[exc.field or "form"] = exc.message
    registration.refresh_from_db()
    present = {d.kind: d for d in registration.documents.all()}
    required = [(kind, QualificationDocument.Kind(kind).label, present.get(kind))
                for kind in services.documents_required(registration)]
    return render(request, "upgrade/documents.html", {
        "registration": registration, "steps": selectors.steps(registration), "required": required,
        "errors": errors, "can_change": registration.qualification in (
            registration.Qualification.AWAITING_DOCUMENTS, registration.Qualification.REJECTED),
    }, status=400 if errors else 200)


FORMS = {"registration": ("报名信息登记表", "registration_form_pdf"), "medical": ("体检表", "medical_form_pdf"),
         "bonus": ("录取加分登记表", "bonus_form_pdf"), "ticket": ("考生准考证", "admission_ticket_pdf")}

EXAM_PLEDGE_PARAGRAPHS = [
    _("本人自愿参加普通高校专升本选拔考试，已认真阅读《国家教育考试违规处理办法》及考试有关规定。"),
    _("本人承诺：凭本人准考证和有效居民身份证参加考试，不替考、不找人替考，不携带手机等通讯工具及规定以外的物品进入考场。"),
    _("本人承诺：自觉服从考试工作人员的管理，遵守考场纪律，诚信应考，不作弊，不协助他人作弊。"),
    _("如有违反，本人自愿接受《国家教育考试违规处理办法》的处理，并承担由此造成的一切后果。"),
]


@never_cache
@candidate_required
def forms_page(request):
    """表格下载: after the 报考资格审核 passed (or was not needed once paid)."""
    registration = _registration(request)
    ready = selectors.forms_ready(registration)
    return render(request, "upgrade/forms.html", {
        "registration": registration, "steps": selectors.steps(registration), "ready": ready,
        "forms": [(key, title) for key, (title, _f) in FORMS.items()
                  if key != "ticket" and (key != "bonus" or registration.award_claim)],
        "pledge_read": registration.notice_read(services.EXAM_PLEDGE),
    })


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def exam_pledge(request):
    """诚信考试承诺书 before 《考生准考证》: the button unlocks after 10 seconds (the server refuses an
    earlier click); then the ticket downloads."""
    registration = _registration(request)
    if not selectors.forms_ready(registration):
        messages.warning(request, gettext("报考资格审核通过后才能下载表格。"))
        return redirect("upgrade:overview")
    if request.method == "POST":
        try:
            services.exam_pledge_acknowledge(registration=registration)
        except services.UpgradeError as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, gettext("您已签署诚信考试承诺书，可以下载《考生准考证》。"))
            return redirect("upgrade:forms")
    seconds_left = services.exam_pledge_show(registration=registration)
    registration.refresh_from_db()
    return render(request, "upgrade/exam_pledge.html", {
        "registration": registration, "steps": selectors.steps(registration), "paragraphs": EXAM_PLEDGE_PARAGRAPHS,
        "seconds_left": seconds_left, "already_read": registration.notice_read(services.EXAM_PLEDGE),
    })


@never_cache
@candidate_required
def form_download(request, key: str):
    from django.http import HttpResponse

    from . import pdf

    if key not in FORMS:
        raise Http404
    registration = _registration(request)
    if not selectors.forms_ready(registration):
        messages.warning(request, gettext("报考资格审核通过后才能下载表格。"))
        return redirect("upgrade:overview")
    if key == "ticket" and not registration.notice_read(services.EXAM_PLEDGE):
        messages.info(request, gettext("请先阅读诚信考试承诺书。"))
        return redirect("upgrade:exam_pledge")
    title, function = FORMS[key]
    response = HttpResponse(getattr(pdf, function)(registration), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=\"upgrade-{key}.pdf\""
    response["Cache-Control"] = "private, no-store"
    return response


def _volunteer_rows(batch, submission, plans_by_id):
    from .models import VOLUNTEER_LETTERS

    ids = list(submission.plan_ids) if submission else []
    ids += [None] * (len(VOLUNTEER_LETTERS) - len(ids))
    return [(letter, plans_by_id.get(pid)) for letter, pid in zip(VOLUNTEER_LETTERS, ids, strict=False)]


@never_cache
@candidate_required
def volunteers(request):
    """志愿信息: each batch with the volunteers last submitted and 修改志愿 inside its window."""
    from .models import Plan

    registration = _registration(request)
    batches = []
    for batch in services.batches_open_to(registration):
        current = services.volunteers_current(registration=registration, batch=batch)
        plans = {p.pk: p for p in Plan.objects.filter(pk__in=[i for i in (current.plan_ids if current else []) if i])
                 .select_related("college")}
        batches.append({"batch": batch, "current": current, "rows": _volunteer_rows(batch, current, plans),
                        "problem": services.volunteers_editable_error(registration=registration, batch=batch),
                        "history": registration.volunteers.filter(batch=batch).count()})
    return render(request, "upgrade/volunteers.html", {"registration": registration, "batches": batches,
                                                       "supplementary": _supplementary_cards(registration)})


def _supplementary_cards(registration) -> list[dict]:
    """征集志愿 the candidate may fill now (or has filled), with the current submission."""
    from . import admission_services
    from .models import Plan

    cards = []
    for round_ in admission_services.supplementary_open_for(registration):
        current = admission_services.supplementary_current(registration=registration, round_=round_)
        plans = {p.pk: p for p in Plan.objects.filter(pk__in=[i for i in (current.plan_ids if current else []) if i])
                 .select_related("college")}
        cards.append({"round": round_, "current": current,
                      "rows": _volunteer_rows(round_.run.batch, current, plans)})
    return cards


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def supplementary(request, code: str):
    """填报征集志愿: the same picker as the batch's volunteers, only college-majors with places left;
    nothing is saved until 确认提交; inside the 征集 window only."""
    from . import admission_services
    from .models import SupplementaryRound

    if (expired := _volunteer_idle_expired(request, check=request.method == "POST")) is not None:
        return expired
    registration = _registration(request)
    round_ = SupplementaryRound.objects.filter(run__batch__code=code).select_related("run__batch").first()
    if round_ is None:
        raise Http404
    problem = admission_services.supplementary_editable_error(registration=registration, round_=round_)
    if problem:
        messages.warning(request, problem)
        return redirect("upgrade:volunteers")
    plans = admission_services.supplementary_plans(registration=registration, round_=round_)
    current = admission_services.supplementary_current(registration=registration, round_=round_)
    return _volunteer_picker(
        request, registration=registration, plans=plans, current=current,
        submit=lambda chosen: admission_services.supplementary_submit(registration=registration, round_=round_,
                                                                       plan_ids=chosen),
        success=gettext("%(batch)s征集志愿已确认提交。") % {"batch": round_.run.batch.name},
        context={"batch": round_.run.batch, "round": round_, "supplementary": True})


def _volunteer_picker(request, *, registration, plans, current, submit, success: str, context: dict):
    """The A–H picker page shared by 填报志愿 and 征集志愿: on POST `submit(plan ids)`, back to 志愿填报
    on success, else the page again with what was chosen and the refusal."""
    from django.conf import settings

    from .models import VOLUNTEER_LETTERS

    error = ""
    if request.method == "POST":
        chosen = [request.POST.get(f"plan_{letter}", "") for letter in VOLUNTEER_LETTERS]
        try:
            submit(chosen)
        except services.UpgradeError as exc:
            error = exc.message
        else:
            messages.success(request, success)
            return redirect("upgrade:volunteers")
        selected = [int(v) if str(v).isdigit() else None for v in chosen]
    else:
        selected = list(current.plan_ids) if current else []
    selected += [None] * (len(VOLUNTEER_LETTERS) - len(selected))
    by_id = {p.pk: p for p in plans}
    rows = [{"letter": letter, "plan": by_id.get(pid)} for letter, pid in zip(VOLUNTEER_LETTERS, selected,
                                                                               strict=False)]
    return render(request, "upgrade/volunteers_edit.html", {
        "registration": registration, "rows": rows, "plans": plans,
        "colleges": sorted({p.college for p in plans}, key=lambda c: c.code), "error": error,
        "timeout_minutes": settings.KAOWU_VOLUNTEER_TIMEOUT_MINUTES, **context,
    }, status=400 if error else 200)


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def volunteers_edit(request, code: str):
    """填报志愿: 平行志愿 A–H, a college then one of its majors open to the candidate's 专业类别, 清空 a
    row; nothing is saved until 确认提交. The page warns before the 15-minute timeout and keeps what
    was chosen in the browser."""
    from .models import AdmissionBatch, Plan

    # A fresh visit starts the page's clock; a submission after 15 idle minutes signs out.
    if (expired := _volunteer_idle_expired(request, check=request.method == "POST")) is not None:
        return expired
    registration = _registration(request)
    batch = AdmissionBatch.objects.filter(code=code).first()
    if batch is None:
        raise Http404
    problem = services.volunteers_editable_error(registration=registration, batch=batch)
    if problem:
        messages.warning(request, problem)
        return redirect("upgrade:volunteers")
    plans = list(Plan.objects.filter(batch=batch, category=registration.category).select_related("college"))
    return _volunteer_picker(
        request, registration=registration, plans=plans,
        current=services.volunteers_current(registration=registration, batch=batch),
        submit=lambda chosen: services.volunteers_submit(registration=registration, batch=batch, plan_ids=chosen),
        success=gettext("%(batch)s志愿已确认提交。") % {"batch": batch.name}, context={"batch": batch})


SESSION_VOLUNTEER_SEEN = "upgrade_volunteer_seen"


def _volunteer_idle_expired(request, *, check: bool = True):
    """The 志愿填报 page's own timeout (seed 004: 15 minutes without activity): sign out, say why."""
    import time

    from django.conf import settings
    from django.contrib.auth import logout

    now = int(time.time())
    seen = request.session.get(SESSION_VOLUNTEER_SEEN)
    if check and seen is not None and now - seen > settings.KAOWU_VOLUNTEER_TIMEOUT_MINUTES * 60:
        logout(request)
        messages.info(request, gettext("志愿填报页面超过%(minutes)s分钟未操作，已自动退出。您选择的志愿已保存在本浏览器中，"
                                       "重新登录后将自动恢复，请记得点击“确认提交”。")
                      % {"minutes": settings.KAOWU_VOLUNTEER_TIMEOUT_MINUTES})
        return redirect("accounts:login")
    request.session[SESSION_VOLUNTEER_SEEN] = now
    return None


@candidate_required
def keepalive(request):
    """继续填报: counts as activity on the 志愿填报 page."""
    from django.http import HttpResponse

    if _volunteer_idle_expired(request) is not None:
        return HttpResponse(status=401)
    return HttpResponse(status=204)


# --- Public information (seed 004 §2.6) ----------------------------------------------------------


def info_process(request):
    """报名操作流程."""
    return render(request, "upgrade/info_process.html", {"steps": selectors.LABELS})


def info_contact(request):
    """网上报名咨询电话: the province's hotline and every 报名点's phone."""
    from kaowu.organization.models import Office
    from kaowu.organization.selectors import home_province

    points = Office.objects.filter(kind=Office.Kind.REGISTRATION_POINT, is_active=True).select_related("region")
    return render(request, "upgrade/info_contact.html", {"home": home_province(), "points": points.order_by("code")})


def info_guide(request):
    """考生使用说明."""
    return render(request, "upgrade/info_guide.html", {})


def plans(request):
    """招生计划: per 报考专业类别 (the candidate's own by default), college and major, with seats."""
    from django.core.paginator import Paginator

    from .models import Plan

    category = request.GET.get("category", "")
    if not category and request.user.is_authenticated and hasattr(request.user, "upgrade_registration"):
        category = request.user.upgrade_registration.category
    if category not in Category.values:
        category = ""
    rows = Plan.objects.select_related("batch", "college").order_by("batch__position", "college__code", "code")
    if category:
        rows = rows.filter(category=category)
    query = request.GET.get("q", "").strip()[:30]
    if query:
        from django.db.models import Q

        rows = rows.filter(Q(college__name__contains=query) | Q(name__contains=query) | Q(college__code=query))
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    querystring = "&".join(f"{k}={v}" for k, v in (("category", category), ("q", query)) if v)
    return render(request, "upgrade/plans.html", {"page_obj": page, "category": category, "q": query,
                                                  "categories": Category.choices, "querystring": querystring})


@never_cache
@candidate_required
def results(request):
    """成绩与录取信息: scores and, per batch, the result with the plan's cut-off once published."""
    from . import admission_services

    registration = _registration(request)
    rows = admission_services.results_for(registration=registration)
    score = getattr(registration, "score", None) if rows else None
    items = []
    for result in rows:
        cutoffs = result.run.supplementary.cutoffs if result.round else result.run.cutoffs
        cut = cutoffs.get(str(result.plan_id)) if result.plan_id else None
        items.append({"result": result, "cutoff": admission_services.cutoff_display(cut)})
    return render(request, "upgrade/results.html", {
        "registration": registration, "score": score, "items": items,
        "supplementary": admission_services.supplementary_open_for(registration)})


def segments(request):
    """分数段统计 (public): per 报考专业类别, a table and a chart."""
    from . import admission_services

    category = request.GET.get("category") or Category.FINANCE
    if category not in Category.values:
        category = Category.FINANCE
    rows = admission_services.score_segments(category=category)
    return render(request, "upgrade/segments.html", {
        "rows": rows, "category": category, "categories": Category.choices,
        "chart": {"labels": [f"{r['low']}–{r['high']}" for r in reversed(rows)],
                  "counts": [r["count"] for r in reversed(rows)]},
    })
