"""Product photos are shown through thumbnails of the size the page needs, never the
merchant's original file (a phone photo is 3000×4000 px and several megabytes).

Thumbnails are made by Oscar's thumbnailer (OSCAR_THUMBNAILER: sorl-thumbnail), stored
beside the originals (the default storage: the disk or the object storage, through
MediaStorage below; settings.THUMBNAIL_STORAGE names it) and found
again through sorl's key-value store (the cache first, then the database): a page
showing 48 products asks the cache, not the database, once the thumbnails exist.

    {% load product_images %}
    <img src="{% product_image_url image "fill-400x400" %}" …>

Specifications, as Wagtail's renditions:
    fill-WxH    exactly W×H, cropped around the middle (product cards, the basket)
    max-WxH     within W×H, proportions kept, never enlarged (the product page)

The SIZES below are made when a picture is saved (post_save), so the first customer does
not wait; a specification not listed is made on first view. Oscar deletes a picture's
thumbnails with it (oscar.apps.catalogue.receivers)."""
import logging
import re

from django.core.files.storage import Storage, default_storage
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

logger = logging.getLogger(__name__)
ProductImage = get_model("catalogue", "ProductImage")

CARD, PAGE, BASKET = "fill-400x400", "max-800x800", "fill-160x160"
SIZES = (CARD, PAGE, BASKET)
SPEC = re.compile(r"^(fill|max)-(\d+)x(\d+)$")


class MediaStorage(Storage):
    """The media storage as configured (STORAGES["default"] with its OPTIONS: the
    object storage's bucket and endpoint), for sorl-thumbnail (settings.THUMBNAIL_STORAGE).
    sorl makes its storage from a class path called without arguments, and so again for
    each thumbnail it finds in its key-value store: sorl's default, the backend's class,
    would be an S3Storage without its bucket. Every call goes to Django's default_storage."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return object.__getattribute__(self, name)
        return getattr(default_storage, name)


def options(spec):
    """The thumbnailer's options for a specification ("fill-400x400")."""
    match = SPEC.match(spec)
    if not match:
        raise ValueError(f"Format de vignette inconnu : {spec!r} (attendu fill-LxH ou max-LxH)")
    method, width, height = match.groups()
    opts = {"size": f"{width}x{height}", "quality": 82}
    if method == "fill":
        opts["crop"] = "center"
    else:
        opts["upscale"] = False
    return opts


def thumbnail(original, spec):
    """The thumbnail (with .url, .width, .height) of an image field's file; None if the
    file cannot be read."""
    opts = options(spec)
    if original.name.lower().endswith(".png"):
        opts["format"] = "PNG"  # keep transparent backgrounds
    try:
        return get_thumbnailer().generate_thumbnail(original, **opts)
    except Exception:  # a missing or broken file must not break the page
        logger.exception("Vignette impossible pour %s (%s)", original.name, spec)
        return None


# Each worker remembers the addresses it has found: sorl asks its key-value store once
# per picture, which is one SQL query per product card when the caches are in the
# database (production without Redis) and one Redis round trip otherwise. A thumbnail's
# name never changes (sorl derives it from the original's name and the options; a new
# upload is a new name), and media addresses are not signed, so they do not expire.
_known = {}
KNOWN_AT_MOST = 20000


def url(original, spec):
    if not original:
        return ""
    key = (original.name, spec)
    address = _known.get(key)
    if address is None:
        made = thumbnail(original, spec)
        if made is None:
            return ""
        address = made.url
        if made._size:  # made or found; an unreadable original is not remembered
            if len(_known) >= KNOWN_AT_MOST:
                _known.clear()
            _known[key] = address
    return address


@receiver(setting_changed, dispatch_uid="townmarket_thumbnail_addresses_settings")
def forget_addresses(setting=None, **kwargs):
    if setting in {"STORAGES", "MEDIA_ROOT", "MEDIA_URL", "THUMBNAIL_STORAGE", "CACHES"}:
        _known.clear()


@receiver(post_delete, sender=ProductImage, dispatch_uid="townmarket_product_image_thumbnail_addresses")
def forget_picture(sender, instance, **kwargs):
    for key in [key for key in _known if key[0] == instance.original.name]:
        _known.pop(key, None)


@receiver(post_save, sender=ProductImage, dispatch_uid="townmarket_product_image_thumbnails")
def make_thumbnails(sender, instance, raw=False, **kwargs):
    if raw or not instance.original:
        return
    for spec in SIZES:
        thumbnail(instance.original, spec)
