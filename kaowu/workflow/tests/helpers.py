from kaowu.workflow.models import Application
from kaowu.workflow.services import application_save_draft, application_submit

from .conftest import TEST_TYPE


def draft(candidate, value="新地址", **kwargs) -> Application:
    return application_save_draft(actor=candidate.user, data={"value": value}, type_code=TEST_TYPE,
                                  candidate=candidate, exam_number=candidate.exam_numbers.first(), **kwargs)


def submitted(candidate, value="新地址") -> Application:
    return application_submit(application=draft(candidate, value), actor=candidate.user)
