"""Existing installations: the default 回访 scripts that presume the parcel arrived move to
签收回访 with their new wording, so no in-transit follow-up says the parcel was signed for.
Only rows still holding the old default text are touched; a team's own edits are left to
``check_scripts`` and the supervisors."""

from django.db import migrations

# code: (old body, new category, new title, new body)
MOVES = {
    "hf": (
        "{buyer_nick}您好，您的包裹已经签收啦，商品用着还满意吗？有任何问题都可以随时找我们。",
        "receipt_followup",
        "签收后问感受",
        "{buyer_nick}您好，看到您已经收到包裹了，商品用着怎么样？有不合适的地方随时告诉我们。",
    ),
    "hfxh": (
        "您好，宝贝已经到了吧？第一次清洗建议冷水手洗，晾在通风处，可以更好地保持版型。",
        "receipt_followup",
        "洗护提醒",
        "您好，收到的衣服第一次清洗建议冷水手洗，晾在通风处，可以更好地保持版型。穿着感觉如何也欢迎告诉我们。",
    ),
    "hfpj": (
        "这次购物体验怎么样？如果满意，欢迎抽空写写使用感受，对其他买家很有帮助。",
        "receipt_followup",
        "邀请分享感受",
        "这次购物体验怎么样？如果满意，欢迎抽空写写使用感受，对其他买家很有帮助。",
    ),
}


def move(apps, schema_editor):
    ReplyScript = apps.get_model("scripts_lib", "ReplyScript")
    ReplyScriptVersion = apps.get_model("scripts_lib", "ReplyScriptVersion")
    for code, (old_body, category, title, body) in MOVES.items():
        rows = ReplyScript.objects.filter(
            code=code, category="delivery_followup", body=old_body, shop__isnull=True
        )
        for script in rows:
            script.category, script.title, script.body = category, title, body
            script.version += 1
            script.save(update_fields=["category", "title", "body", "version"])
            ReplyScriptVersion.objects.create(
                script=script,
                number=script.version,
                category=category,
                title=title,
                code=script.code,
                body=body,
                is_active=script.is_active,
                author=None,
                created_at=script.updated_at,
            )


class Migration(migrations.Migration):
    dependencies = [("scripts_lib", "0002_receipt_followup_category")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
