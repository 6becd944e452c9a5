from kaowu.exemptions.types import CODE
from kaowu.workflow.services import application_save_draft, application_submit

from .conftest import scan

ACADEMIC = {"kind": "academic", "school": "兰州大学", "studied_major": "汉语言文学", "level": "junior_college",
            "academic_number": "107301201805001234", "graduated_on": "2018-07-01"}


def draft(candidate, rule, courses, *, certificate=True, **extra):
    course_names = dict(rule.courses.values_list("code", "name"))
    data = {**ACADEMIC, "rule": rule.pk, "major": rule.major.code, "courses": list(courses),
            "course_labels": [f"{c} {course_names.get(c, '')}" for c in courses], "kind_label": "学历证书免考",
            "rule_label": rule.certificate, **extra}
    return application_save_draft(actor=candidate.user, data=data, type_code=CODE, candidate=candidate,
                                  exam_number=candidate.exam_numbers.first(),
                                  attachments={"certificate_scan": scan()} if certificate else None)


def submitted(candidate, rule, courses, **extra):
    return application_submit(application=draft(candidate, rule, courses, **extra), actor=candidate.user)
