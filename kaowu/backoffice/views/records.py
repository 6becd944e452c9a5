"""一人一号 at the exam area: 合档 and 身份证号更正 from the candidate detail page."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from kaowu.candidates.models import ExamNumber
from kaowu.candidates.selectors import candidate_get_for_staff
from kaowu.candidates.services import (
    MERGE_OFFICE_KINDS,
    CandidateRecordError,
    exam_numbers_merge,
    id_number_correct,
)
from kaowu.staff.decorators import staff_required

from ..forms_records import ExamNumberMergeForm, IdNumberCorrectionForm
from .candidates import candidate_detail_render


def _refused(request, candidate):
    messages.error(request, gettext("合档和身份证号更正由考区或省级考试机构办理。"))
    return redirect("backoffice:candidate_detail", pk=candidate.pk)


@require_POST
@staff_required
def candidate_merge(request, pk: int):
    candidate = candidate_get_for_staff(staff=request.staff, pk=pk)
    if request.staff.office.kind not in MERGE_OFFICE_KINDS:
        return _refused(request, candidate)
    active = list(candidate.exam_numbers.filter(status=ExamNumber.Status.ACTIVE).order_by("issued_at"))
    form = ExamNumberMergeForm(request.POST, numbers=active)
    if form.is_valid():
        try:
            records = exam_numbers_merge(staff=request.staff, kept_number=form.cleaned_data["kept_number"],
                                         merged_numbers=form.cleaned_data["all_merged"],
                                         reason=form.cleaned_data["reason"], request=request)
        except CandidateRecordError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, ngettext(
                "合档完成：%(n)s 个准考证号已合并至 %(kept)s，成绩和记录均保留。",
                "合档完成：%(n)s 个准考证号已合并至 %(kept)s，成绩和记录均保留。",
                len(records),
            ) % {"n": len(records), "kept": form.cleaned_data["kept_number"]})
            return redirect("backoffice:candidate_detail", pk=candidate.pk)
    return candidate_detail_render(request, candidate, merge_form=form, status=400)


@require_POST
@staff_required
def candidate_id_correction(request, pk: int):
    candidate = candidate_get_for_staff(staff=request.staff, pk=pk)
    if request.staff.office.kind not in MERGE_OFFICE_KINDS:
        return _refused(request, candidate)
    form = IdNumberCorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            id_number_correct(staff=request.staff, candidate=candidate, new_id_number=form.cleaned_data["new_id_number"],
                              proof=form.cleaned_data["proof"], reason=form.cleaned_data["reason"], request=request)
        except CandidateRecordError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext("身份证号已更正，考生可在个人中心查看更正记录。"))
            return redirect("backoffice:candidate_detail", pk=candidate.pk)
    return candidate_detail_render(request, candidate, correction_form=form, status=400)
