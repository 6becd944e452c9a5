"""Typed searches kept in the session: an ID number or phone typed into a back-office search box must
not end up in URLs, browser history or access logs. The URL carries a short token instead."""

import secrets

SEARCHES_KEPT = 10


def search_remember(request, *, list_name: str, query: str) -> str:
    key = f"backoffice_searches:{list_name}"
    searches = request.session.get(key, {})
    token = secrets.token_urlsafe(6)
    searches = dict(list(searches.items())[-(SEARCHES_KEPT - 1):])
    searches[token] = query
    request.session[key] = searches
    return token


def search_recall(request, *, list_name: str, token: str | None) -> str:
    if not token:
        return ""
    return request.session.get(f"backoffice_searches:{list_name}", {}).get(token, "")
