from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from scripts_lib.etiquette import finding_message, rule_label
from scripts_lib.placeholders import PLACEHOLDER_RE, PLACEHOLDERS

register = template.Library()


@register.filter
def placeholders_marked(body: str):
    """The body, escaped, with each placeholder shown as a labelled chip."""
    parts, last = [], 0
    for match in PLACEHOLDER_RE.finditer(body):
        parts.append(conditional_escape(body[last : match.start()]))
        placeholder = PLACEHOLDERS.get(match.group(1).strip())
        label = placeholder.label if placeholder else match.group(1)
        parts.append(format_html('<span class="ph" title="{}">{}</span>', match.group(0), label))
        last = match.end()
    parts.append(conditional_escape(body[last:]))
    return mark_safe("".join(str(p) for p in parts))


@register.filter
def finding_text(finding) -> str:
    """An etiquette finding's advice in the reader's language (stored or live)."""
    return finding_message(finding)


@register.filter
def etiquette_rule(code: str) -> str:
    """An etiquette rule's short name in the reader's language."""
    return rule_label(code)
