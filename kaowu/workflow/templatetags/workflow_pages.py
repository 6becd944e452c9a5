from django import template

register = template.Library()


@register.filter
def kind_text(kind, name: str) -> str:
    """A text of an application type's generic pages: {{ kind|kind_text:"form_title" }}."""
    return kind.text(name)
