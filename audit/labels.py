"""How the audit trail reads to a person: a translated label for every verb, the kind of
object and a link to it, and field names and values as the object's own pages show them.

Each app says this about its own verbs and objects in an ``audit_labels.py`` module with
up to three names, discovered on first use (like ``jobs.py``), so the audit app depends
on no other app:

* ``VERBS``: {verb: label}
* ``FAMILIES``: {verb prefix: {action: label}}, for verbs made from a state table's
  action (``ticket.approve``)
* ``OBJECTS``: {"app_label.model": (label, URL name taking the object's pk, or None)}
* ``FIELDS``: {name: label} for change keys that are not a field of the object
* ``VALUES``: {change key: {stored value: label}} for codes kept in a change that is not a
  field with choices (the etiquette rules a script was saved despite)
"""

import re
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

_verbs: dict[str, str] = {}
_families: dict[str, dict[str, str]] = {}
_objects: dict[str, tuple[str, str | None]] = {}
_fields: dict[str, str] = {}
_values: dict[str, dict[str, str]] = {}
_discovered = False


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        module = f"{config.name}.audit_labels"
        if find_spec(config.name) and find_spec(module):
            labels = import_module(module)
            _verbs.update(getattr(labels, "VERBS", {}))
            _families.update(getattr(labels, "FAMILIES", {}))
            _objects.update(getattr(labels, "OBJECTS", {}))
            _fields.update(getattr(labels, "FIELDS", {}))
            _values.update(getattr(labels, "VALUES", {}))
    _discovered = True


def verb_label(verb: str) -> str | None:
    """The verb as a person says it, or None when no app named it."""
    _discover()
    if verb in _verbs:
        return str(_verbs[verb])
    prefix, _dot, action = verb.rpartition(".")
    family = _families.get(f"{prefix}.", {})
    return str(family[action]) if action in family else None


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventRow:
    """One audit event as the audit page shows it."""

    event: object
    verb: str
    object_kind: str
    object_url: str | None
    changes: list[Change]


def _value_text(field, value, labels: dict | None = None) -> str:
    if labels and isinstance(value, list):
        return ", ".join(str(labels.get(item, item)) for item in value)
    if labels and isinstance(value, str) and value in labels:
        return str(labels[value])
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, str) and ISO_MOMENT.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (dict, list)):
        return ", ".join(
            str(item) for item in (value.values() if isinstance(value, dict) else value)
        )
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))


def _changes(model, changes: dict) -> list[Change]:
    rows = []
    for name, (before, after) in changes.items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        label = str(getattr(field, "verbose_name", "") or _fields.get(name, name))
        values = _values.get(name)
        rows.append(
            Change(label, _value_text(field, before, values), _value_text(field, after, values))
        )
    return rows


def present(events) -> list[EventRow]:
    """Rows for the audit page; no query beyond the events themselves."""
    _discover()
    rows = []
    for event in events:
        kind, url_name = _objects.get(event.object_type, (event.object_type, None))
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):
            model = None
        rows.append(
            EventRow(
                event=event,
                verb=verb_label(event.verb) or event.verb,
                object_kind=str(kind),
                object_url=reverse(url_name, args=[event.object_id]) if url_name else None,
                changes=_changes(model, event.changes),
            )
        )
    return rows
