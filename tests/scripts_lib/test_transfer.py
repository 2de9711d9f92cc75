import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from scripts_lib.models import ReplyScript, ReplyScriptVersion

from .factories import make_script

pytestmark = pytest.mark.django_db


def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "scripts.xlsx"
    return out


def csv_file(text: str, encoding="utf-8") -> io.BytesIO:
    out = io.BytesIO(text.encode(encoding))
    out.name = "scripts.csv"
    return out


def test_xlsx_export_then_import_round_trip(login, staff, team, shop, other_shop):
    make_script(team, shop, code="hy", title="欢迎", body="{buyer_nick}您好")
    make_script(
        team,
        shop,
        code="cf",
        category="payment_reminder",
        title="催付",
        body="{cutoff_time}前付款今天发",
        is_active=False,
    )
    client = login(staff[Role.SUPERVISOR])
    exported = client.get(reverse("scripts_lib:export"), {"shop": shop.code})
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("分类", "标题", "快捷码", "内容", "启用", "排序")
    assert ("欢迎语", "欢迎", "hy", "{buyer_nick}您好", "是", 0) in rows
    # another team's supervisor brings the same list into their own shop
    from ..factories import make_user

    boss_b = make_user(other_shop, Role.SUPERVISOR)
    upload = io.BytesIO(exported.content)
    upload.name = "scripts.xlsx"
    response = login(boss_b).post(
        reverse("scripts_lib:import"), {"scope": f"shop:{other_shop.code}", "file": upload}
    )
    assert response.status_code == 302
    imported = {
        (s.category, s.title, s.code, s.body, s.is_active)
        for s in ReplyScript.objects.filter(shop=other_shop)
    }
    originals = {
        (s.category, s.title, s.code, s.body, s.is_active)
        for s in ReplyScript.objects.filter(shop=shop)
    }
    assert imported == originals and len(imported) == 2


def test_import_updates_by_code_as_a_new_version(login, staff, team, shop):
    script = make_script(team, shop, code="hy", body="旧")
    client = login(staff[Role.SUPERVISOR])
    upload = csv_file(
        "分类,标题,快捷码,内容\n欢迎语,欢迎,hy,新\n物流用语,发货,fh,{courier}已发出\n"
    )
    response = client.post(
        reverse("scripts_lib:import"), {"scope": f"shop:{shop.code}", "file": upload}
    )
    assert response.status_code == 302
    script.refresh_from_db()
    assert (script.body, script.version) == ("新", 2)
    assert ReplyScriptVersion.objects.filter(script=script).count() == 2
    assert ReplyScript.objects.get(code="fh").category == "logistics"


def test_gb18030_csv_from_excel_is_read(login, staff, shop):
    client = login(staff[Role.SUPERVISOR])
    upload = csv_file("分类,标题,快捷码,内容\n欢迎语,欢迎,hy,您好\n", encoding="gb18030")
    response = client.post(
        reverse("scripts_lib:import"), {"scope": f"shop:{shop.code}", "file": upload}
    )
    assert response.status_code == 302
    assert ReplyScript.objects.get().title == "欢迎"


def test_bad_rows_are_reported_by_number_and_nothing_is_imported(login, staff, team, shop):
    make_script(team, shop, code="hy", body="原样")
    client = login(staff[Role.SUPERVISOR])
    upload = xlsx(
        [
            ["分类", "标题", "快捷码", "内容", "启用"],
            ["欢迎语", "欢迎", "hy", "改了", "是"],
            ["议价", "议价", "yj", "您好", "是"],
            ["物流用语", "发货", "fh", "{kuaidi}已发出", "是"],
            ["物流用语", "发货2", "fh", "已发出", "也许"],
            ["售后语", "退货", "th", "七天无理由", ""],
            ["售后语", "退货2", "th", "重复", ""],
            ["欢迎语", "在线", "zx", "在", "是"],
        ]
    )
    response = client.post(
        reverse("scripts_lib:import"), {"scope": f"shop:{shop.code}", "file": upload}
    )
    assert response.status_code == 400
    numbers = [row for row, _message in response.context["row_errors"]]
    assert numbers == [3, 4, 5, 7, 8]
    assert "one_word_reply" in dict(response.context["row_errors"])[8]
    html = response.content.decode()
    assert "没有导入任何内容" in html
    assert "第 4 行" in html and "{kuaidi}" in html
    assert ReplyScript.objects.count() == 1 and ReplyScript.objects.get().body == "原样"


def test_missing_column_is_refused(login, staff, shop):
    client = login(staff[Role.SUPERVISOR])
    upload = csv_file("标题,内容\n欢迎,您好\n")
    response = client.post(
        reverse("scripts_lib:import"), {"scope": f"shop:{shop.code}", "file": upload}
    )
    assert response.status_code == 400
    assert "缺少列：分类、快捷码" in response.content.decode()


def test_import_into_a_shop_the_user_does_not_edit_is_refused(login, staff, shop, other_shop):
    client = login(staff[Role.SUPERVISOR])
    upload = csv_file("分类,标题,快捷码,内容\n欢迎语,欢迎,hy,您好\n")
    response = client.post(
        reverse("scripts_lib:import"), {"scope": f"shop:{other_shop.code}", "file": upload}
    )
    assert response.status_code == 200 and "scope" in response.context["form"].errors
    assert not ReplyScript.objects.exists()


def test_csv_export_opens_in_excel(login, staff, team, shop):
    make_script(team, None, code="hy", title="欢迎")
    response = login(staff[Role.PRE_SALE]).get(reverse("scripts_lib:export"), {"format": "csv"})
    assert response.content.startswith("\ufeff".encode())
    assert "欢迎语,欢迎,hy" in response.content.decode("utf-8-sig")
