from datetime import timedelta

import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from kaowu.identity.models import Photo, Verification
from kaowu.identity.services import photos_purge_expired
from kaowu.testing.factories import UserFactory


def _photo(verification, kind, **fields):
    photo = Photo(verification=verification, kind=kind, width=10, height=10, sha256="x" * 64, **fields)
    photo.file.save(f"{photo.token}.jpg", ContentFile(b"\xff\xd8\xff jpeg"), save=False)
    photo.save()
    return photo


def test_photos_of_failed_attempts_are_deleted_after_the_retention_period(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    failed = Verification.objects.create(user=UserFactory(), kind="three_photos", status="failed")
    passed = Verification.objects.create(user=UserFactory(), kind="three_photos", status="passed")
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        old_failed = _photo(failed, "id_photo")
        kept_passed = _photo(passed, "id_photo")
        replaced = _photo(passed, "handheld", is_current=False)
    fresh_failed = _photo(failed, "handheld")

    assert photos_purge_expired(older_than_days=30) == 2
    for photo in (old_failed, kept_passed, replaced, fresh_failed):
        photo.refresh_from_db()
    assert old_failed.deleted_at is not None and replaced.deleted_at is not None
    assert kept_passed.deleted_at is None and fresh_failed.deleted_at is None
    assert not list(tmp_path.glob(f"**/{old_failed.token}.jpg"))
    assert list(tmp_path.glob(f"**/{kept_passed.token}.jpg"))


def test_the_command_reports_what_it_deleted(db, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("identity_purge_photos", days=30)
    assert "已删除 0 张" in capsys.readouterr().out
