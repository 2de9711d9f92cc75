"""Images people upload (ticket evidence, buyers' chat photos): checked by their bytes,
re-encoded without metadata, stored privately and served only through a view that checked
the viewer.

What is refused, with a message: anything Pillow cannot identify as one of the allowed
formats (whatever its name says: a PHP script or an SVG named .png is not an image), files
over the byte cap, images over ``max_pixels`` or ``max_side`` (a decompression bomb
declares a huge size in a tiny file; the size is read from the header and refused before
any pixel is decoded). Accepted images are decoded (the first frame only), turned upright
by their EXIF orientation, and written anew without the original's metadata, so EXIF (GPS
position, camera serial), comments and anything appended to the file are dropped.
"""

import io
import warnings
from dataclasses import dataclass

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}
# Kept through re-encoding: what the pixels need to look right, nothing about the sender.
KEPT_INFO = ("transparency",)


class ImageRefused(DomainError):
    """An upload that is not an acceptable image; the message says why."""


class ImageTooLarge(ImageRefused):
    """Over a byte cap (HTTP 413)."""

    status_code = 413


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    format: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][0]

    @property
    def extension(self) -> str:
        return FORMATS[self.format][1]


def too_large(max_bytes: int) -> ImageTooLarge:
    return ImageTooLarge(_("图片不能超过 %(mb)s MB。") % {"mb": max_bytes // 1024 // 1024})


def read_upload(upload, *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, refusing more than ``max_bytes`` without reading them."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large(max_bytes)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    if not data:
        raise ImageRefused(_("文件是空的。"))
    return data


def _not_an_image(formats) -> ImageRefused:
    names = ", ".join("JPG" if f == "JPEG" else ("WebP" if f == "WEBP" else f) for f in formats)
    return ImageRefused(_("只能上传 %(formats)s 图片，该文件不是图片。") % {"formats": names})


def _decode(data: bytes, *, formats, max_pixels: int, max_side: int, fit: int | None):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
            if fmt not in formats:
                raise _not_an_image(formats)
            if width * height > max_pixels or max(width, height) > max_side:
                raise ImageRefused(
                    _("图片尺寸过大（%(w)s×%(h)s），请压缩后再上传。") % {"w": width, "h": height}
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            if fit and fmt == "JPEG":
                # Decode a large JPEG at a reduced scale: a fraction of the memory and time.
                image.draft("RGB", (fit, fit))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused(_("图片尺寸异常，已拒绝。")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _not_an_image(formats) from None
    return image, fmt


def _encode(image: Image.Image, fmt: str) -> bytes:
    image.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    save_options = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    image.save(out, format=fmt, **save_options)
    return out.getvalue()


def clean_image(
    data: bytes,
    *,
    formats=("JPEG", "PNG", "WEBP"),
    max_pixels: int,
    max_side: int,
    fit: int | None = None,
    thumbnail: int | None = None,
) -> tuple[CleanImage, CleanImage | None]:
    """Re-encode ``data``: (the image, its thumbnail or None), or raise ImageRefused.

    ``fit`` scales the stored image down to fit a square of that side; ``thumbnail`` also
    returns a copy fitting that side."""
    image, fmt = _decode(data, formats=formats, max_pixels=max_pixels, max_side=max_side, fit=fit)
    image = ImageOps.exif_transpose(image)
    if fit:
        image.thumbnail((fit, fit))
    clean = CleanImage(_encode(image.copy(), fmt), fmt, image.width, image.height)
    if not thumbnail:
        return clean, None
    small = image.copy()
    small.thumbnail((thumbnail, thumbnail))
    return clean, CleanImage(_encode(small, fmt), fmt, small.width, small.height)


def private_image_response(file, *, content_type: str, filename: str) -> FileResponse:
    """Serve a stored image: never sniffed as HTML, sandboxed if opened on its own."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
