"""Changes to the script library. Every saved change becomes a version (who, when, what)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.models import Shop, Team, User
from accounts.permissions import can, shop_ids_for
from audit.services import audit

from .errors import ScriptError, ScriptEtiquetteError
from .models import ReplyScript, ReplyScriptVersion, ScriptCategory, ScriptUsage
from .placeholders import body_errors
from .search import title_initials

EDITABLE_FIELDS = ["category", "title", "code", "body", "is_active", "position"]


@dataclass
class ScriptData:
    """What a person types into the script form or an import row."""

    category: str
    title: str
    code: str
    body: str
    is_active: bool = True
    position: int = 0
    override_reason: str = ""


def may_edit_scope(user: User, *, team: Team, shop: Shop | None) -> bool:
    """scripts.edit in the shop; for a team-wide script, in some shop of the team."""
    if shop is not None:
        return shop.team_id == team.pk and can(user, "scripts.edit", shop)
    return Shop.objects.filter(pk__in=shop_ids_for(user, "scripts.edit"), team=team).exists()


def may_edit_script(user: User, script: ReplyScript) -> bool:
    return may_edit_scope(user, team=script.team, shop=script.shop)


def may_use_script(user: User, script: ReplyScript) -> bool:
    """scripts.use in the script's shop; for a team-wide script, in some shop of the team."""
    if script.shop_id is not None:
        return can(user, "scripts.use", script)
    return Shop.objects.filter(
        pk__in=shop_ids_for(user, "scripts.use"), team_id=script.team_id
    ).exists()


def _require_scope(user: User, *, team: Team, shop: Shop | None) -> None:
    if not may_edit_scope(user, team=team, shop=shop):
        raise PermissionDenied(_("没有编辑此话术的权限。"))


def clean_script_data(data: ScriptData) -> ScriptData:
    """Validate and normalise; raises ScriptError with every problem in one message."""
    data = ScriptData(
        category=(data.category or "").strip(),
        title=(data.title or "").strip(),
        code=(data.code or "").strip().lstrip("/").lower(),
        body=(data.body or "").strip(),
        is_active=bool(data.is_active),
        position=int(data.position or 0),
        override_reason=(data.override_reason or "").strip()[:200],
    )
    errors = []
    if data.category not in ScriptCategory.values:
        errors.append(_("分类无效：%(value)s。") % {"value": data.category or "（空）"})
    if not data.title:
        errors.append(_("标题不能为空。"))
    elif len(data.title) > 60:
        errors.append(_("标题最多 60 个字。"))
    if not data.code:
        errors.append(_("快捷码不能为空。"))
    elif len(data.code) > 20 or not all(
        ch.isascii() and (ch.isalnum() or ch in "-_") for ch in data.code
    ):
        errors.append(_("快捷码只能使用字母、数字、- 和 _，最多 20 个字符。"))
    if not data.body:
        errors.append(_("内容不能为空。"))
    elif len(data.body) > 1000:
        errors.append(_("内容最多 1000 个字。"))
    errors.extend(str(e) for e in body_errors(data.body))
    if errors:
        raise ScriptError(" ".join(errors))
    return data


def _code_taken(*, team: Team, shop: Shop | None, code: str, exclude_pk=None) -> bool:
    scripts = ReplyScript.objects.filter(team=team, shop=shop, code=code)
    if exclude_pk:
        scripts = scripts.exclude(pk=exclude_pk)
    return scripts.exists()


def _save_version(script: ReplyScript, *, author: User | None, now: datetime) -> None:
    ReplyScriptVersion.objects.create(
        script=script,
        number=script.version,
        category=script.category,
        title=script.title,
        code=script.code,
        body=script.body,
        is_active=script.is_active,
        author=author,
        created_at=now,
    )


@transaction.atomic
def script_create(
    *, actor: User | None, team: Team, shop: Shop | None, data: ScriptData, now: datetime
) -> ReplyScript:
    """A new script (version 1). ``shop`` None makes it team-wide. ``actor`` None is the
    system (the default library loader)."""
    if actor is not None:
        _require_scope(actor, team=team, shop=shop)
    data = clean_script_data(data)
    if _code_taken(team=team, shop=shop, code=data.code):
        raise ScriptError(_("快捷码 /%(code)s 已被使用。") % {"code": data.code})
    rules = _etiquette_gate(actor, data) if actor is not None else []
    try:
        with transaction.atomic():
            script = ReplyScript.objects.create(
                team=team,
                shop=shop,
                title_initials=title_initials(data.title),
                created_by=actor,
                created_at=now,
                updated_at=now,
                **{f: getattr(data, f) for f in EDITABLE_FIELDS},
            )
    except IntegrityError:
        raise ScriptError(_("快捷码 /%(code)s 已被使用。") % {"code": data.code}) from None
    _save_version(script, author=actor, now=now)
    audit(
        actor, "script.created", script, shop=shop, changes={"title": [None, script.title]}, now=now
    )
    _audit_override(actor, script, rules, data.override_reason, now)
    return script


@transaction.atomic
def script_update(
    *, actor: User, script: ReplyScript, data: ScriptData, now: datetime
) -> ReplyScript:
    """Save an edit as a new version; nothing happens when nothing changed."""
    _require_scope(actor, team=script.team, shop=script.shop)
    script = ReplyScript.objects.select_for_update().get(pk=script.pk)
    data = clean_script_data(data)
    changes = {
        f: [getattr(script, f), getattr(data, f)]
        for f in EDITABLE_FIELDS
        if getattr(script, f) != getattr(data, f)
    }
    if not changes:
        return script
    if "code" in changes and _code_taken(
        team=script.team, shop=script.shop, code=data.code, exclude_pk=script.pk
    ):
        raise ScriptError(_("快捷码 /%(code)s 已被使用。") % {"code": data.code})
    rules = _etiquette_gate(actor, data) if {"title", "body"} & changes.keys() else []
    for field, (_before, after) in changes.items():
        setattr(script, field, after)
    script.title_initials = title_initials(script.title)
    script.version += 1
    script.updated_at = now
    script.save()
    _save_version(script, author=actor, now=now)
    audit(actor, "script.updated", script, shop=script.shop, changes=changes, now=now)
    _audit_override(actor, script, rules, data.override_reason, now)
    return script


def _etiquette_gate(actor: User, data: ScriptData) -> list[str]:
    """The rules a script's text breaks. With findings and no override reason, saving is
    refused (ScriptEtiquetteError lists them); with a reason the save goes on and the
    caller audits the override. A script reaches buyers from every agent and job, so it is
    held to the checker like a reply, and an exception is a person's recorded decision."""
    from .buyer_texts import text_findings

    findings = text_findings(data.title, data.body)
    if findings and not data.override_reason.strip():
        raise ScriptEtiquetteError(
            _("话术未通过礼仪检查：请修改，或填写仍要保存的理由（会记入审计日志）。"),
            findings=findings,
        )
    return sorted({finding["rule"] for finding in findings})


def _audit_override(actor, script: ReplyScript, rules: list[str], reason: str, now) -> None:
    if rules:
        audit(
            actor,
            "script.etiquette_overridden",
            script,
            shop=script.shop,
            changes={"rules": [None, rules], "reason": [None, reason.strip()]},
            now=now,
        )


def script_record_use(*, actor: User, script: ReplyScript, now: datetime) -> None:
    """Count one use of ``script`` by ``actor`` (the composer calls this when a script is
    sent). Counters only: no audit event, no lock; two concurrent uses both count."""
    if not may_use_script(actor, script):
        raise PermissionDenied(_("没有使用此话术的权限。"))
    ReplyScript.objects.filter(pk=script.pk).update(use_count=F("use_count") + 1)
    _usage, created = ScriptUsage.objects.get_or_create(
        script=script, agent=actor, defaults={"count": 1, "last_used_at": now}
    )
    if not created:
        ScriptUsage.objects.filter(script=script, agent=actor).update(
            count=F("count") + 1, last_used_at=now
        )


@transaction.atomic
def default_scripts_load(*, team: Team, now: datetime) -> int:
    """Add the default library to ``team`` as team-wide scripts; a code the team already has
    is left alone, so running it again (or after edits) changes nothing. Returns how many
    scripts were added."""
    from .defaults import DEFAULT_SCRIPTS

    existing = set(
        ReplyScript.objects.filter(team=team, shop__isnull=True).values_list("code", flat=True)
    )
    added = 0
    for position, (category, code, title, body) in enumerate(DEFAULT_SCRIPTS):
        if code in existing:
            continue
        data = ScriptData(category=category, title=title, code=code, body=body, position=position)
        script_create(actor=None, team=team, shop=None, data=data, now=now)
        added += 1
    return added


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def scripts_import(
    *, actor: User, team: Team, shop: Shop | None, rows: list, now: datetime
) -> ImportResult:
    """Create or update (by shortcut code, within the scope) every row, or nothing at all:
    all rows are validated first and any problem raises ScriptImportError with the rows'
    numbers. Updated scripts get a new version like an edit."""
    from .buyer_texts import text_findings
    from .errors import ScriptImportError

    _require_scope(actor, team=team, shop=shop)
    existing = {
        s.code: s for s in ReplyScript.objects.select_for_update().filter(team=team, shop=shop)
    }
    errors, cleaned, seen = [], [], {}
    for row in rows:
        if row.problem:
            errors.append((row.number, row.problem))
            continue
        data = ScriptData(
            category=row.category,
            title=row.title,
            code=row.code,
            body=row.body,
            is_active=row.is_active,
            position=row.position if row.position is not None else 0,
        )
        try:
            data = clean_script_data(data)
        except ScriptError as error:
            errors.append((row.number, str(error)))
            continue
        if data.code in seen:
            errors.append(
                (
                    row.number,
                    _("快捷码 /%(code)s 与第%(row)s行重复。")
                    % {"code": data.code, "row": seen[data.code]},
                )
            )
            continue
        seen[data.code] = row.number
        rules = sorted({finding["rule"] for finding in text_findings(data.title, data.body)})
        if rules:
            errors.append(
                (
                    row.number,
                    _("未通过礼仪检查（%(rules)s），请修改后再导入。")
                    % {"rules": "、".join(rules)},
                )
            )
            continue
        if row.position is None and data.code in existing:
            data.position = existing[data.code].position
        cleaned.append(data)
    if errors:
        raise ScriptImportError(errors)
    result = ImportResult()
    for data in cleaned:
        script = existing.get(data.code)
        if script is None:
            script_create(actor=actor, team=team, shop=shop, data=data, now=now)
            result.created += 1
        elif (
            script_update(actor=actor, script=script, data=data, now=now).version != script.version
        ):
            result.updated += 1
        else:
            result.unchanged += 1
    return result
