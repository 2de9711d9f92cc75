"""Upload attacks on the order import (the ticket photo upload has its own:
tests/tickets/test_photos.py — a PHP script named .jpg, SVG/HTML, oversize files, too
many pixels, a PNG decompression bomb; tests/orders/test_import_upload.py refuses markup
or executables named .csv/.xlsx and oversize uploads)."""

import io
import zipfile

import pytest

from orders.importing import ImportFatal, import_file
from orders.models import Order

pytestmark = pytest.mark.django_db


def zip_bomb(path, inflated_bytes: int) -> None:
    """An .xlsx-shaped zip whose shared-strings part inflates to ``inflated_bytes`` of
    zeros from a few kilobytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/sharedStrings.xml", "w") as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(inflated_bytes >> 20):
                part.write(chunk)


def test_an_xlsx_decompression_bomb_is_refused_before_inflating(shop, now, tmp_path):
    path = tmp_path / "orders.xlsx"
    zip_bomb(path, 32 << 20)
    assert path.stat().st_size < 100_000
    with pytest.raises(ImportFatal, match="压缩炸弹"):
        import_file(path, shop=shop, now=now)
    assert not Order.objects.exists()


def test_a_php_script_named_xlsx_is_refused(shop, now, tmp_path):
    path = tmp_path / "orders.xlsx"
    path.write_bytes(b"<?php system($_GET['c']); ?>")
    with pytest.raises(ImportFatal):
        import_file(path, shop=shop, now=now)
    assert not Order.objects.exists()


def test_a_php_script_inside_a_zip_named_xlsx_is_refused(shop, now, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shell.php", "<?php system($_GET['c']); ?>")
    path = tmp_path / "orders.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ImportFatal, match="XLSX"):
        import_file(path, shop=shop, now=now)
    assert not Order.objects.exists()
