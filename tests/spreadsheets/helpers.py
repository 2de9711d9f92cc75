import io
import zipfile

from openpyxl import Workbook


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bomb(inflated_bytes: int = 300 << 20) -> bytes:
    """An .xlsx-shaped zip whose shared-strings part inflates to ``inflated_bytes`` of
    spaces from a few hundred kilobytes (the shape of the file that took a worker from
    200 MB to 520 MB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        bomb.writestr("[Content_Types].xml", "<Types/>")
        with bomb.open("xl/sharedStrings.xml", "w") as part:
            chunk = b" " * (1 << 20)
            for _ in range(inflated_bytes >> 20):
                part.write(chunk)
    return out.getvalue()
