"""Product pictures as merchants upload them from a phone: checked, turned upright,
scaled down and stripped of their metadata (EXIF holds the GPS position)."""
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding


def max_upload_bytes():
    return getattr(settings, "TOWNMARKET_MAX_IMAGE_BYTES", 8 * 1024 * 1024)


def max_side():
    return getattr(settings, "TOWNMARKET_IMAGE_MAX_SIDE", 1600)


def normalise_picture(upload):
    """Validate an uploaded picture and return a cleaned copy (JPEG, or PNG when
    transparent). Raises ValidationError with a French message."""
    if upload.size > max_upload_bytes():
        raise ValidationError(_("Cette image pèse %(size)s ; le maximum est %(max)s.") % {
            "size": filesizeformat(upload.size), "max": filesizeformat(max_upload_bytes())})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Ce fichier n'est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP."))
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Format d'image non accepté (%(format)s). Envoyez une photo JPEG, PNG ou WebP.")
                              % {"format": image_format})
    if width * height > MAX_PIXELS:
        raise ValidationError(_("Cette image est trop grande (%(w)s × %(h)s pixels).") % {"w": width, "h": height})
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side(), max_side()))
            has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
            output = io.BytesIO()
            if has_alpha:
                image.save(output, "PNG", optimize=True)
                extension, content_type = "png", "image/png"
            else:
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
                extension, content_type = "jpg", "image/jpeg"
    except (OSError, ValueError):
        raise ValidationError(_("Ce fichier n'est pas une image lisible. Envoyez une photo JPEG, PNG ou WebP."))
    stem = Path(upload.name).stem[:80] or "photo"
    return SimpleUploadedFile(f"{stem}.{extension}", output.getvalue(), content_type=content_type)
