from django import template

from ..notes import notes_of, target_kind

register = template.Library()


@register.inclusion_tag("teamwork/_notes.html", takes_context=True)
def notes_panel(context, obj):
    """The internal notes of ``obj`` with a form to add one, for its detail page."""
    user = context["request"].user
    return {
        "kind": target_kind(obj),
        "target": obj,
        "notes": list(notes_of(user, obj)),
        "csrf_token": context.get("csrf_token"),
        "note_error": context.get("note_error"),
    }
