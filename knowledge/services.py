"""Changes to the knowledge base: save, enable/disable, import, and the shop's
automatic-answer setting. Every answer passes the etiquette checker before it is stored."""

from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from audit.services import audit
from helpdesk.spreadsheets.reading import Source
from orders.importing.errors import ImportFatal
from scripts_lib import etiquette

from .errors import KnowledgeError, KnowledgeImportError
from .models import AutoAnswerSetting, KnowledgeEntry
from .transfer import EntryData, entry_from_cells, header_positions

FIELDS = ("question", "phrasings", "answer", "products", "category")


def answer_problems(answer: str) -> list[str]:
    """The etiquette checker's messages for an answer ([] when it may reach a buyer)."""
    return [finding.message for finding in etiquette.check(answer)]


def _values(data: EntryData) -> dict:
    return {
        "question": data.question,
        "phrasings": list(data.phrasings),
        "answer": data.answer,
        "products": list(data.products),
        "category": data.category,
    }


def _changes(entry: KnowledgeEntry, values: dict) -> dict:
    return {
        name: [getattr(entry, name), value]
        for name, value in values.items()
        if getattr(entry, name) != value
    }


@transaction.atomic
def entry_save(
    *, actor, shop, data: EntryData, now: datetime, entry: KnowledgeEntry | None = None
) -> KnowledgeEntry:
    """Create an entry, or update ``entry``; refuses an answer the etiquette checker flags
    and a key another entry of the shop already has."""
    require(actor, "knowledge.edit", shop)
    problems = answer_problems(data.answer)
    if problems:
        raise KnowledgeError(_("答案不符合客服用语规范：%(p)s") % {"p": "；".join(problems)})
    clash = KnowledgeEntry.objects.filter(shop=shop, key=data.key)
    if entry is not None:
        clash = clash.exclude(pk=entry.pk)
    if clash.exists():
        raise KnowledgeError(_("编号 %(key)s 已被其他条目使用。") % {"key": data.key})
    values = _values(data)
    if entry is None:
        entry = KnowledgeEntry.objects.create(
            shop=shop, key=data.key, created_at=now, updated_at=now, updated_by=actor, **values
        )
        audit(actor, "knowledge.created", entry, changes={"key": [None, data.key]}, now=now)
        return entry
    entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
    changes = _changes(entry, {"key": data.key, **values})
    if changes:
        for name, (_before, after) in changes.items():
            setattr(entry, name, after)
        entry.updated_at, entry.updated_by = now, actor
        entry.save()
        audit(actor, "knowledge.updated", entry, changes=changes, now=now)
    return entry


@transaction.atomic
def entry_set_active(*, actor, entry: KnowledgeEntry, active: bool, now: datetime):
    require(actor, "knowledge.edit", entry)
    entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_active != active:
        audit(
            actor,
            "knowledge.toggled",
            entry,
            changes={"is_active": [entry.is_active, active]},
            now=now,
        )
        entry.is_active, entry.updated_at, entry.updated_by = active, now, actor
        entry.save(update_fields=["is_active", "updated_at", "updated_by"])
    return entry


def read_import(path: str | Path) -> list[tuple[int, EntryData]]:
    """Every row of the file, or KnowledgeImportError with every bad row by line."""
    rows: list[tuple[int, EntryData]] = []
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    try:
        with Source(path) as source:
            records = source.records()
            header = next(records, None)
            if header is None:
                raise KnowledgeImportError([(1, _("文件没有表头。"))])
            try:
                positions = header_positions(header[1])
            except ValueError as error:
                raise KnowledgeImportError([(header[0], str(error))]) from None
            for line, cells in records:
                try:
                    data = entry_from_cells(cells, positions)
                except ValueError as error:
                    errors.append((line, str(error)))
                    continue
                problems = answer_problems(data.answer)
                if problems:
                    errors.append((line, _("答案不符合客服用语规范：") + "；".join(problems)))
                    continue
                if data.key in seen:
                    errors.append(
                        (
                            line,
                            _("编号 %(key)s 与第 %(n)s 行重复。")
                            % {"key": data.key, "n": seen[data.key]},
                        )
                    )
                    continue
                seen[data.key] = line
                rows.append((line, data))
    except ImportFatal as fatal:
        raise KnowledgeImportError([(0, str(fatal))]) from None
    if errors:
        raise KnowledgeImportError(errors)
    return rows


def knowledge_import(
    *, actor, shop, path: str | Path, now: datetime, dry_run: bool = False
) -> dict:
    """Import a whole file or nothing: {"created", "updated", "unchanged"}; a file with any
    bad row raises KnowledgeImportError and writes nothing. Entries are keyed by 编号."""
    if actor is not None:
        require(actor, "knowledge.edit", shop)
    rows = read_import(path)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {
            e.key: e
            for e in KnowledgeEntry.objects.select_for_update().filter(
                shop=shop, key__in=[d.key for _line, d in rows]
            )
        }
        for _line, data in rows:
            entry = existing.get(data.key)
            values = _values(data)
            if entry is None:
                counts["created"] += 1
                if not dry_run:
                    KnowledgeEntry.objects.create(
                        shop=shop,
                        key=data.key,
                        created_at=now,
                        updated_at=now,
                        updated_by=actor,
                        **values,
                    )
                continue
            changes = _changes(entry, values)
            if not changes:
                counts["unchanged"] += 1
                continue
            counts["updated"] += 1
            if not dry_run:
                for name, (_before, after) in changes.items():
                    setattr(entry, name, after)
                entry.updated_at, entry.updated_by = now, actor
                entry.save()
        if not dry_run:
            audit(actor, "knowledge.imported", shop, changes={"counts": [None, counts]}, now=now)
    return counts


@transaction.atomic
def auto_answer_set(*, actor, shop, enabled: bool, now: datetime) -> AutoAnswerSetting:
    require(actor, "knowledge.edit", shop)
    setting, _created = AutoAnswerSetting.objects.select_for_update().get_or_create(
        shop=shop, defaults={"updated_at": now}
    )
    if setting.enabled != enabled:
        audit(
            actor,
            "knowledge.auto_answer",
            shop,
            changes={"enabled": [setting.enabled, enabled]},
            now=now,
        )
        setting.enabled, setting.updated_at = enabled, now
        setting.save()
    return setting
