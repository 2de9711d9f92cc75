"""How a shop message looks on the buyer's own chat page."""

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _survey_link_pattern() -> re.Pattern:
    """The survey link as the closing message writes it: absolute when HELPDESK_PUBLIC_URL
    is set, otherwise the site's own path, which text filters such as urlize leave as text."""
    prefix = reverse("buyer_chat:survey", args=["TOKEN"]).split("TOKEN")[0]
    return re.compile(r"(?:https?://[^\s/]+)?" + re.escape(prefix) + r"[A-Za-z0-9_:\-]+/")


@register.filter
def buyer_bubble(text: str) -> SafeString:
    """Escaped text with line breaks kept, web addresses linked, and the survey link (a
    path on this site) made a real link too."""
    pattern = _survey_link_pattern()
    pieces = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(urlize(text[position : match.start()], autoescape=True))
        pieces.append(
            format_html(
                '<a href="{}" class="survey-link" data-testid="survey-link">{}</a>',
                match.group(0),
                _("点此评价"),
            )
        )
        position = match.end()
    pieces.append(urlize(text[position:], autoescape=True))
    html = "".join(pieces).replace("\n", "<br>")
    return mark_safe(html)  # every piece is escaped by urlize or built by format_html
