import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo(name="photo.jpg", size=(400, 300), color=(200, 120, 40), exif_orientation=None, image_format="JPEG"):
    """An uploaded picture, optionally with the EXIF orientation a phone writes."""
    image = Image.new("RGB", size, color)
    output = io.BytesIO()
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    image.save(output, image_format, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}[image_format]
    return SimpleUploadedFile(name, output.getvalue(), content_type=content_type)
