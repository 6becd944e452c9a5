"""When the site cannot do its work for a moment: the database is busy or unreachable, or uploaded
files cannot be written. The person gets a clear 503 page with Retry-After ("系统繁忙，请稍后重试"),
in the site's look, never a 500 with a traceback; an htmx request gets a notice it can show.

The page is rendered without the request's context processors, so it needs no database: it is
shown precisely when the database cannot answer. A programming error (no such column, a syntax
error) is not "busy" and stays a 500.
"""

from __future__ import annotations

import errno
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

logger = logging.getLogger("kaowu.unavailable")

DATABASE_RETRY_AFTER_SECONDS = 10
STORAGE_RETRY_AFTER_SECONDS = 60

# SQLite primary result codes: BUSY, LOCKED, IOERR, FULL, CANTOPEN, PROTOCOL.
_SQLITE_UNAVAILABLE = {5, 6, 10, 13, 14, 15}
# PostgreSQL SQLSTATE classes and codes: connection exception, insufficient resources (too many
# connections, disk full), operator intervention (shutdown, cannot connect now); query canceled
# (statement_timeout), lock_not_available (lock_timeout), serialization failure, deadlock.
_PG_UNAVAILABLE_CLASSES = ("08", "53", "57P")
_PG_UNAVAILABLE_STATES = {"57014", "55P03", "40001", "40P01"}
# When the driver gives no code (a connection that never opened), its words.
_UNAVAILABLE_WORDS = (
    "database is locked", "database table is locked", "connection refused", "could not connect",
    "connection failed", "too many connections", "too many clients", "remaining connection slots",
    "server closed the connection", "terminating connection", "the database system is", "statement timeout",
    "lock timeout", "connection already closed", "connection is closed", "connection is lost", "timeout expired",
    "server conn crashed", "no more connections allowed",
)
# Disk conditions under which no file can be written, wherever the write happened (an upload's
# temporary file, a generated PDF): full, over quota, read-only.
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def database_unavailable(exc: BaseException) -> bool:
    """Is `exc` the database being busy or out of reach (try again later), not a bug?"""
    if isinstance(exc, InterfaceError):
        # The connection is closed or unusable; a closed cursor or a missing result is a bug.
        return "connection" in str(exc).lower()
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    if sqlite_code is not None:
        return (sqlite_code & 0xFF) in _SQLITE_UNAVAILABLE
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state:
        return state in _PG_UNAVAILABLE_STATES or state.startswith(_PG_UNAVAILABLE_CLASSES)
    text = str(exc).lower()
    return any(words in text for words in _UNAVAILABLE_WORDS)


def storage_unavailable(exc: BaseException) -> bool:
    """Is `exc` a file that could not be written (disk full, read-only, no permission)?"""
    from .uploads import FileSaveFailed

    return isinstance(exc, FileSaveFailed) or (isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS)


def _chain(exc: BaseException | None, depth: int = 5):
    """`exc` and the errors it was raised from or while handling (Django's SessionMiddleware turns a
    locked database into UpdateError, then SessionInterrupted, a 400)."""
    while exc is not None and depth > 0:
        yield exc
        exc = exc.__cause__ or exc.__context__
        depth -= 1


def unavailable_response_for(request, exc: BaseException) -> HttpResponse | None:
    """The 503 answer when `exc` (or what it was raised from) means "try again later", else None."""
    if any(database_unavailable(error) for error in _chain(exc)):
        logger.warning("database busy or unavailable at %s: %s", getattr(request, "path", "?"), exc)
        return unavailable_response(request, message=gettext("系统繁忙，请稍后重试"),
                                    retry_after=DATABASE_RETRY_AFTER_SECONDS)
    if any(storage_unavailable(error) for error in _chain(exc)):
        logger.error("file storage unavailable at %s: %s", getattr(request, "path", "?"), exc)
        return unavailable_response(request, message=gettext("文件保存失败，请稍后重试"),
                                    retry_after=STORAGE_RETRY_AFTER_SECONDS)
    return None


def unavailable_response(request, *, message: str, retry_after: int) -> HttpResponse:
    """503 with Retry-After. Rendered without a request context: no context processor, no query."""
    htmx = request is not None and request.headers.get("HX-Request") == "true"
    context = {"message": message, "retry_after": retry_after}
    if htmx:
        response = HttpResponse(render_to_string("core/_unavailable_notice.html", context), status=503)
        # kaowu.js swaps a 503 that names its target: the notice goes on top of the page, what was
        # typed stays where it is.
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "afterbegin show:top"
    else:
        response = HttpResponse(render_to_string("core/unavailable.html", context), status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
