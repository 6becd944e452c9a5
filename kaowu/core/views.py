import sys

from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import server_error as django_server_error


def server_error(request, *args, **kwargs):
    """handler500: a busy or unreachable database, or a disk that cannot be written, raised outside a
    view (a middleware saving the session) is the 503 page too; anything else is Django's 500 page."""
    from .unavailable import unavailable_response_for

    exc = sys.exc_info()[1]
    if exc is not None:
        response = unavailable_response_for(request, exc)
        if response is not None:
            return response
    return django_server_error(request, *args, **kwargs)


def bad_request(request, exception, *args, **kwargs):
    """handler400: a session that could not be saved because the database was busy (Django's
    SessionInterrupted) is the 503 page; any other bad request is Django's 400 page."""
    from .unavailable import unavailable_response_for

    response = unavailable_response_for(request, exception)
    if response is not None:
        return response
    return django_bad_request(request, exception, *args, **kwargs)
