"""The demo town's pictures (shops_pages.demo.images): drawn with a font that has French
accents, the whole name shown (wrapped or made smaller, never cut), on a picture that
looks like a shop's card."""
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image, ImageDraw

from shops_pages.demo import images

COVER = (1200, 400)
PRODUCT = (360, 360)
LONG_NAME = "La Boutique des Saveurs Oubliées et des Fromages Affinés de la Vallée de l'Ouche"


def decoded(content):
    picture = Image.open(io.BytesIO(content))
    picture.load()
    return picture.convert("RGB")


def notdef(font):
    """The box a font draws for a character it does not have."""
    return font.getmask("\U0010fffd")


@pytest.mark.parametrize("letter", list("ÉéèêàâçôœÎ’«»"))
def test_the_font_draws_french_letters_not_empty_boxes(letter):
    for font in (images.font(40), images.font(40, bold=True)):
        missing, mask = notdef(font), font.getmask(letter)
        assert (mask.size, bytes(mask)) != (missing.size, bytes(missing)), f"{letter!r} drawn as a missing glyph"


@pytest.mark.parametrize("name,size,subtitle", [
    ("L'Épicerie du Marché", COVER, "Épicerie"),
    (LONG_NAME, COVER, "Épicerie"),
    ("L'Épicerie du Marché", PRODUCT, ""),
    (LONG_NAME, PRODUCT, ""),
    ("Aligoté 2021", PRODUCT, ""),
    ("Supercalifragilisticexpialidocieusementbon", PRODUCT, ""),
])
def test_the_whole_name_is_drawn_inside_the_picture(name, size, subtitle):
    lines = images.layout(name, subtitle, size)
    # Nothing cut: every letter of the name is on a line (long words may be hyphenated).
    title_lines = [line for line in lines if line.role == "title"]
    assert "".join(line.text.replace("-", "") for line in title_lines).replace(" ", "") == \
        name.replace("-", "").replace(" ", "")
    assert [line.text for line in lines if line.role == "subtitle"] == ([subtitle] if subtitle else [])
    canvas = ImageDraw.Draw(Image.new("RGB", size))
    width, height = size
    for line in lines:
        left, top, right, bottom = canvas.textbbox(line.xy, line.text, font=line.font, anchor="mm")
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, (line.text, (left, top, right, bottom))
        assert line.font.size >= 14, "too small to read"
    # …and the lines do not overlap each other.
    boxes = sorted(canvas.textbbox(line.xy, line.text, font=line.font, anchor="mm") for line in lines)
    boxes.sort(key=lambda box: box[1])
    for above, below in zip(boxes, boxes[1:]):
        assert above[3] <= below[1]


def test_the_name_is_written_dark_on_light_where_the_layout_puts_it():
    size = COVER
    picture = decoded(images.picture_bytes("L'Épicerie du Marché", "Épicerie", size=size, fmt="PNG"))
    assert picture.size == size
    line = next(line for line in images.layout("L'Épicerie du Marché", "Épicerie", size) if line.role == "title")
    left, top, right, bottom = ImageDraw.Draw(Image.new("RGB", size)).textbbox(line.xy, line.text, font=line.font,
                                                                                anchor="mm")
    region = picture.crop((left, top, right, bottom))
    darkest = min(sum(pixel) for pixel in region.get_flattened_data())
    lightest = max(sum(pixel) for pixel in region.get_flattened_data())
    assert darkest < 200 and lightest > 600, "the name is not dark text on a light card"


def test_each_kind_of_shop_has_its_own_colour():
    covers = {kind: decoded(images.picture_bytes("Chez Paul", kind, size=COVER, fmt="PNG")).getpixel((5, 200))
              for kind in ("Épicerie", "Boulangerie", "Fleuriste")}
    assert len(set(covers.values())) == 3


def card_crop(size):
    """The part of a cover the directory's shop cards show (their `fill-WxH` rendition
    crops around the middle)."""
    template = (Path(settings.BASE_DIR) / "site/templates/shops_pages/includes/shop_card.html").read_text()
    card_w, card_h = map(int, re.search(r"cover_image fill-(\d+)x(\d+)", template).groups())
    width, height = size
    shown = min(width, height * card_w / card_h)
    return ((width - shown) / 2, 0, (width + shown) / 2, height)


@pytest.mark.parametrize("name", ["L'Épicerie du Marché", LONG_NAME])
def test_a_shop_card_shows_the_whole_name_of_the_cover(name):
    left, top, right, bottom = card_crop(COVER)
    canvas = ImageDraw.Draw(Image.new("RGB", COVER))
    for line in images.layout(name, "Fromagerie", COVER):
        box = canvas.textbbox(line.xy, line.text, font=line.font, anchor="mm")
        assert left <= box[0] and box[2] <= right, f"{line.text!r} cut off on the directory's card"
