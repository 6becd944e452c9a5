"""Template helpers of the catalog pages: status badges and the safe rendering of announcement text."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_BADGES = {
    # window states
    "open": "success", "not_started": "info", "closed": "neutral", "not_scheduled": "neutral",
    # major statuses (open shared with windows)
    "transition": "warning",
    # plan requirements
    "required": "info", "elective": "neutral",
}


@register.filter
def badge_class(value) -> str:
    """The badge colour of a window state, major status or plan requirement."""
    return "badge--" + _BADGES.get(str(value), "neutral")


@register.filter
def major_badge(status) -> str:
    return {"open": "badge--success", "transition": "badge--warning", "closed": "badge--neutral"}.get(
        str(status), "badge--neutral")


_HEADING = re.compile(r"^#{1,3}\s+")


@register.filter
def announcement_body(text: str) -> str:
    """Plain text to HTML, escaping everything the author typed: blank lines separate paragraphs,
    a line starting with "## " is a sub-heading, lines starting with "- " form a list; other line
    breaks are kept. No HTML from staff ever reaches the page."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    html = []
    for block in blocks:
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and _HEADING.match(lines[0]):
            html.append(format_html("<h2>{}</h2>", _HEADING.sub("", lines[0])))
            continue
        if all(line.lstrip().startswith(("- ", "* ", "• ", "・")) for line in lines):
            items = [(re.sub(r"^\s*[-*•・]\s*", "", line),) for line in lines]
            html.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", items)))
            continue
        rows = []
        for index, line in enumerate(lines):
            if index == 0 and _HEADING.match(line):
                html.append(format_html("<h2>{}</h2>", _HEADING.sub("", line)))
                continue
            rows.append(line)
        if rows:
            html.append(format_html("<p>{}</p>", mark_safe("<br>".join(format_html("{}", r) for r in rows))))
    return mark_safe("\n".join(html))


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if mapping else None
