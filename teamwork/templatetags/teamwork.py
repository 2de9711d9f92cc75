from django import template

from ..models import TagTarget
from ..notes import notes_of, target_kind
from ..tags import may_tag, taggable_kind, tags_of_shop, tags_on

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


@register.inclusion_tag("teamwork/_tags.html", takes_context=True)
def tags_panel(context, obj):
    """The tags on ``obj``; who may work it adds and removes them."""
    user = context["request"].user
    on = tags_on(obj)
    editable = may_tag(user, obj)
    return {
        "kind": taggable_kind(obj),
        "kind_label": TagTarget(taggable_kind(obj)).label,
        "target": obj,
        "tags": on,
        "may_tag": editable,
        "choices": [t for t in tags_of_shop(obj.shop) if t not in on] if editable else [],
        "csrf_token": context.get("csrf_token"),
        "tag_error": context.get("tag_error"),
    }


@register.inclusion_tag("teamwork/_tag_filter.html", takes_context=True)
def tag_filter_links(context):
    """Chips that filter the current queue by one of the user's tags (``?tag=<id>``)."""
    from ..tags import tags_for

    request = context["request"]
    current = request.GET.get("tag", "")
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("tag", None)
    links = []
    for tag in tags_for(request.user):
        query["tag"] = tag.pk
        links.append({"tag": tag, "query": query.urlencode(), "current": current == str(tag.pk)})
    query.pop("tag", None)
    return {"links": links, "all_query": query.urlencode(), "current": current}
