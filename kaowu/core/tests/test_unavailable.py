"""Which errors mean "busy, try again" (kaowu.core.unavailable), the session path through handler400,
and files of rolled-back transactions (kaowu.core.uploads)."""

import errno
import sqlite3

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, ProgrammingError, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from kaowu.core.unavailable import database_unavailable, storage_unavailable
from kaowu.core.uploads import FileSaveFailed, uncommitted_files_removed


def _wrapped(cause: BaseException) -> OperationalError:
    try:
        try:
            raise cause
        except Exception as exc:
            raise OperationalError(str(exc)) from exc
    except OperationalError as wrapped:
        return wrapped


class _PgError(Exception):
    def __init__(self, message, sqlstate):
        super().__init__(message)
        self.sqlstate = sqlstate


def _sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize("exc", [
    _wrapped(_sqlite_error("database is locked", 5)),
    _wrapped(_sqlite_error("database is locked", 517)),  # SQLITE_BUSY_SNAPSHOT: an extended code
    _wrapped(_PgError("canceling statement due to statement timeout", "57014")),
    _wrapped(_PgError("sorry, too many clients already", "53300")),
    _wrapped(_PgError("terminating connection due to administrator command", "57P01")),
    _wrapped(_PgError("could not obtain lock on row", "55P03")),
    OperationalError('connection failed: connection to server at "10.0.0.5", port 5432 failed: Connection refused'),
    InterfaceError("connection already closed"),
], ids=["sqlite busy", "sqlite busy snapshot", "statement timeout", "too many connections", "shutdown",
        "lock timeout", "connection refused", "connection closed"])
def test_a_busy_or_unreachable_database_is_recognised(exc):
    assert database_unavailable(exc)


@pytest.mark.parametrize("exc", [
    _wrapped(_sqlite_error("no such column: x", 1)),
    _wrapped(_PgError('column "x" does not exist', "42703")),
    ProgrammingError("syntax error"),
    ValueError("database is locked"),
    InterfaceError("the cursor is closed"),  # psycopg: a cursor used after its block ended
    InterfaceError("the cursor doesn't have a result"),
])
def test_a_bug_is_not_mistaken_for_a_busy_database(exc):
    assert not database_unavailable(exc)


def test_full_and_read_only_disks_are_storage_failures_but_a_missing_file_is_not():
    assert storage_unavailable(OSError(errno.ENOSPC, "No space left on device"))
    assert storage_unavailable(OSError(errno.EROFS, "Read-only file system"))
    assert storage_unavailable(FileSaveFailed(errno.EACCES, "Permission denied"))
    assert not storage_unavailable(FileNotFoundError(errno.ENOENT, "No such file"))


def _session_view(request):
    request.session["seen"] = True  # saved by SessionMiddleware after the view: outside process_exception
    return HttpResponse("ok")


urlpatterns = [path("session/", _session_view)]
handler400 = "kaowu.core.views.bad_request"
handler500 = "kaowu.core.views.server_error"


@pytest.mark.django_db
def test_a_session_that_cannot_be_saved_because_the_database_is_busy_is_the_busy_page(client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def locked(self, must_create=False):
        from django.contrib.sessions.backends.base import UpdateError

        try:
            raise OperationalError("database is locked")
        except OperationalError:
            raise UpdateError  # noqa: B904 — chained implicitly, as Django's own save() does

    monkeypatch.setattr(SessionStore, "save", locked)
    client.raise_request_exception = False
    # Sessions in the database (the embedded default; with Redis they never touch the database).
    with override_settings(ROOT_URLCONF=__name__, SESSION_ENGINE="django.contrib.sessions.backends.db"):
        response = client.get("/session/")
    assert response.status_code == 503 and "系统繁忙，请稍后重试" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_file_written_by_a_rolled_back_transaction_is_removed_and_a_committed_one_kept(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with uncommitted_files_removed():
        with transaction.atomic():
            kept = default_storage.save("kept.txt", ContentFile(b"kept"))
        with pytest.raises(RuntimeError), transaction.atomic():
            gone = default_storage.save("gone.txt", ContentFile(b"gone"))
            raise RuntimeError("the service refused after saving the file")
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
                inner = default_storage.save("inner.txt", ContentFile(b"inner"))
                raise RuntimeError
        assert default_storage.exists(gone)  # still there until the request ends
    assert default_storage.exists(kept)
    assert not default_storage.exists(gone) and not default_storage.exists(inner)
