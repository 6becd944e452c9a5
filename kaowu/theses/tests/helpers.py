from kaowu.theses.selectors import thesis_standing
from kaowu.theses.types import CODE, graduation_data
from kaowu.workflow.services import application_save_draft, application_submit

CONTACT = {"phone": "15193100102", "address": "甘肃省兰州市城关区雁滩路100号", "postcode": "730000",
           "email": "", "title": "论鲁迅小说中的乡土叙事", "supervisor": "王建国 教授"}


def draft(candidate, **changes):
    standing = thesis_standing(candidate=candidate)
    return application_save_draft(actor=candidate.user, data={**CONTACT, **graduation_data(standing), **changes},
                                  type_code=CODE, candidate=candidate, exam_number=candidate.exam_numbers.first())


def submitted(candidate, **changes):
    return application_submit(application=draft(candidate, **changes), actor=candidate.user)
