"""毕业资格初审 starts by itself at the start of a 毕业申请 window (`graduation_start_eligibility_runs`, run
every few minutes): one run per opened window, audited as the system; nothing without an open window."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kaowu.audit.models import AuditEvent
from kaowu.catalog.models import BusinessWindow, ExamSitting
from kaowu.graduation import services
from kaowu.graduation.models import EligibilityRun
from kaowu.organization.models import Office, Region
from kaowu.testing.factories import OfficeFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sitting(gansu):
    return ExamSitting.objects.create(code="2027-04", name="2027年4月", is_current=True)


def window(*, starts, ends, sitting=None):
    return BusinessWindow.objects.create(kind=BusinessWindow.Kind.GRADUATION, sitting=sitting, starts_at=starts,
                                         ends_at=ends)


def start():
    """The scheduler's call; the job runs in-process once committed (ImmediateBackend)."""
    out = StringIO()
    call_command("graduation_start_eligibility_runs", stdout=out)
    return out.getvalue()


def test_no_window_starts_nothing(sitting):
    assert services.eligibility_run_autostart(now=NOW) is None
    assert "No 毕业资格初审" in start()
    assert not EligibilityRun.objects.exists()


def test_a_window_not_yet_open_starts_nothing(sitting):
    window(starts=NOW + DAY, ends=NOW + 20 * DAY)
    assert services.eligibility_run_autostart(now=NOW) is None
    assert not EligibilityRun.objects.exists()
    # nor one that has closed
    assert services.eligibility_run_autostart(now=NOW + 30 * DAY) is None
    assert not EligibilityRun.objects.exists()


def test_an_open_window_queues_one_run_and_a_second_call_none(sitting, django_capture_on_commit_callbacks):
    opened = window(starts=NOW - DAY, ends=NOW + 20 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert "Queued 毕业资格初审" in start()
    run = EligibilityRun.objects.get()
    assert run.requested_by is None and run.status == EligibilityRun.Status.DONE  # the job ran once committed
    event = AuditEvent.objects.get(action="graduation.eligibility_autostarted")
    assert event.actor is None and event.target_id == str(run.pk) and event.jurisdiction_code == "620000"
    assert event.detail["window"] == opened.pk

    assert "No 毕业资格初审" in start()
    assert services.eligibility_run_autostart(now=NOW + DAY) is None
    assert EligibilityRun.objects.count() == 1


def test_a_run_since_the_window_opened_counts_and_the_next_window_gets_its_own(sitting):
    province = StaffMemberFactory(office=OfficeFactory(kind=Office.Kind.PROVINCE_AUTHORITY,
                                                       region=Region.objects.get(code="620000")))
    window(starts=NOW - DAY, ends=NOW + 20 * DAY, sitting=sitting)
    services.eligibility_run_request(staff=province)  # the province started one by hand after the opening
    assert services.eligibility_run_autostart(now=NOW) is None
    assert EligibilityRun.objects.count() == 1

    # the next half-year's window (sitting-less) opens later: a new run for it
    BusinessWindow.objects.all().delete()
    window(starts=NOW + 100 * DAY, ends=NOW + 120 * DAY)
    EligibilityRun.objects.update(status=EligibilityRun.Status.DONE)
    later = NOW + 101 * DAY
    run = services.eligibility_run_autostart(now=later)
    assert run is not None and EligibilityRun.objects.count() == 2


def test_a_run_still_active_from_before_the_window_is_waited_for(sitting):
    old = EligibilityRun.objects.create()  # 排队中, started half an hour before the window opened
    EligibilityRun.objects.filter(pk=old.pk).update(created_at=NOW - datetime.timedelta(minutes=30))
    window(starts=NOW - datetime.timedelta(minutes=10), ends=NOW + 20 * DAY)
    assert services.eligibility_run_autostart(now=NOW) is None   # busy: no error, try again later
    EligibilityRun.objects.filter(pk=old.pk).update(status=EligibilityRun.Status.DONE)
    assert services.eligibility_run_autostart(now=NOW) is not None
