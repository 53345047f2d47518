"""Product and cover pictures of the demo town, drawn locally with Pillow: nothing is
downloaded.

Text is drawn with Bitstream Vera (Vera.ttf, VeraBd.ttf), a freely licensed font that
has the French letters (É, è, ç, œ, ’, « »…) and ships with reportlab, already a
dependency (its licence: reportlab/fonts/bitstream-vera-license.txt). Pillow's default
font has no accented letters. Names are wrapped, then made smaller until they fit; a
word too long for a line is hyphenated: nothing is ever cut off.

    picture_bytes(title, subtitle, size)   the encoded picture
    layout(title, subtitle, size)          where each line of text goes (for tests)

A wide picture is a shop's cover: an awning in the colour of its kind of shop over a
light sign with the shop's name and its kind. A square one is a product's placeholder
photo: a plate on a light background and a label with the product's name."""
import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from townmarket.pdf import FONT_DIR  # reportlab's fonts folder: the PDFs' Vera too

SMALLEST = 14  # px: the smallest text drawn

# Deep colours; white stripes and a cream sign stand out on each of them.
PALETTE = [
    (31, 97, 141), (148, 49, 38), (35, 110, 75), (125, 60, 152), (186, 74, 0), (23, 117, 123),
    (120, 66, 18), (165, 38, 85), (52, 73, 94), (90, 110, 30), (160, 110, 0), (70, 60, 160),
]
KIND_COLOURS = {  # the demo's kinds of shop (catalogue_data.KINDS), each its own colour
    "Épicerie": 0, "Caviste": 1, "Boulangerie-pâtisserie": 10, "Boucherie-charcuterie": 5, "Fromagerie": 6,
    "Primeur": 2, "Traiteur": 4, "Fleuriste": 7, "Librairie-papeterie": 8, "Chaussures": 3, "Vêtements": 11,
    "Quincaillerie": 9, "Opticien": 5, "Institut de beauté et massage": 3, "Coiffeur": 7, "Jouets": 4,
    "Maison et décoration": 2,
}
INK = (28, 28, 30)
SIGN = (252, 248, 240)


@lru_cache(maxsize=64)
def font(size, bold=False):
    return ImageFont.truetype(str(FONT_DIR / ("VeraBd.ttf" if bold else "Vera.ttf")), size)


@dataclass
class Line:
    text: str
    xy: tuple  # the middle of the line (anchor "mm")
    font: ImageFont.FreeTypeFont
    role: str  # "title" or "subtitle"


def colour(seed):
    if seed in KIND_COLOURS:
        return PALETTE[KIND_COLOURS[seed]]
    return PALETTE[hashlib.sha256(seed.encode()).digest()[0] % len(PALETTE)]


def tint(rgb, amount):
    """`rgb` mixed with white (amount 0: unchanged, 1: white)."""
    return tuple(round(c + (255 - c) * amount) for c in rgb)


def _split_word(word, face, width):
    """A word wider than `width`, cut into hyphenated pieces that fit."""
    pieces = []
    while face.getlength(word) > width:
        cut = len(word) - 1
        while cut > 1 and face.getlength(word[:cut] + "-") > width:
            cut -= 1
        pieces.append(word[:cut] + "-")
        word = word[cut:]
    return pieces + [word]


def wrap(text, face, width):
    """`text` in lines no wider than `width` pixels with `face`."""
    lines, current = [], ""
    for word in text.split():
        pieces = _split_word(word, face, width) if face.getlength(word) > width else [word]
        for piece in pieces:
            candidate = f"{current} {piece}".strip()
            if current and face.getlength(candidate) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
            if current.endswith("-") and piece is not pieces[-1]:
                lines.append(current)
                current = ""
    if current:
        lines.append(current)
    return lines


def fit(text, box, largest, max_lines=3, bold=True):
    """The font and lines with which `text` fills `box` (left, top, right, bottom): the
    largest size whose lines fit, then more lines at the smallest size."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    size = largest
    while True:
        face = font(size, bold)
        lines = wrap(text, face, width)
        step = round(size * 1.25)
        if size <= SMALLEST or (len(lines) <= max_lines and len(lines) * step <= height):
            break
        size = max(SMALLEST, size - 2)
    y = top + (height - step * len(lines)) / 2 + step / 2
    return [(line, (round((left + right) / 2), round(y + i * step)), face) for i, line in enumerate(lines)]


def _is_cover(size):
    return size[0] >= 1.6 * size[1]


def _sign_box(size):
    w, h = size
    if _is_cover(size):
        # The directory's cards show the cover's middle (cropped to 16:9 or narrower):
        # the sign stays inside it.
        margin = (w - min(w, h * 4 / 3)) / 2
        return (round(margin), round(h * 0.30), round(w - margin), round(h * 0.92))
    return (round(w * 0.07), round(h * 0.60), round(w * 0.93), round(h * 0.94))


def layout(title, subtitle="", size=(480, 480)):
    """The lines of text of a picture, where they are drawn and with which font."""
    w, h = size
    left, top, right, bottom = _sign_box(size)
    pad = max(10, round(min(w, h) * 0.04))
    inner = (left + pad, top + pad // 2, right - pad, bottom - pad // 2)
    lines = []
    if _is_cover(size):
        if subtitle:
            sub_size = max(SMALLEST, round(h * 0.07))
            sub = fit(subtitle, (inner[0], inner[3] - round(sub_size * 1.4), inner[2], inner[3]), sub_size,
                      max_lines=1, bold=False)
            lines += [Line(text, xy, face, "subtitle") for text, xy, face in sub]
            inner = (inner[0], inner[1], inner[2], inner[3] - round(sub_size * 1.5))
        title_lines = fit(title, inner, round(h * 0.15), max_lines=3)
    else:
        if subtitle:
            sub_size = max(SMALLEST, round(h * 0.05))
            sub = fit(subtitle, (left, top - round(sub_size * 1.6), right, top - 4), sub_size, max_lines=1,
                      bold=False)
            lines += [Line(text, xy, face, "subtitle") for text, xy, face in sub]
        title_lines = fit(title, inner, round(h * 0.085), max_lines=3)
    return [Line(text, xy, face, "title") for text, xy, face in title_lines] + lines


def _draw_cover(draw, size, main):
    w, h = size
    draw.rectangle([0, 0, w, h], fill=main)
    # The awning: white and coloured stripes with a scalloped edge.
    awning = round(h * 0.2)
    stripe = max(20, w // 16)
    for i, x in enumerate(range(0, w, stripe)):
        fill = SIGN if i % 2 else tint(main, 0.15)
        draw.rectangle([x, 0, x + stripe, awning], fill=fill)
        draw.ellipse([x, awning - stripe // 2, x + stripe, awning + stripe // 2], fill=fill)
    left, top, right, bottom = _sign_box(size)
    draw.rounded_rectangle([left + 6, top + 8, right + 6, bottom + 8], radius=18, fill=tuple(c // 2 for c in main))
    draw.rounded_rectangle([left, top, right, bottom], radius=18, fill=SIGN, outline=tint(main, 0.3), width=4)


def _draw_product(draw, size, main):
    w, h = size
    draw.rectangle([0, 0, w, h], fill=tint(main, 0.82))
    # A plate with something on it, in the product's colour.
    cx, cy, r = w // 2, round(h * 0.32), round(min(w, h) * 0.24)
    draw.ellipse([cx - r, cy - r + 8, cx + r, cy + r + 8], fill=tint(main, 0.6))
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 255, 255), outline=tint(main, 0.45), width=3)
    inner = round(r * 0.6)
    draw.ellipse([cx - inner, cy - inner, cx + inner, cy + inner], fill=main)
    draw.ellipse([cx - inner // 3 - inner // 4, cy - inner // 2, cx - inner // 4 + inner // 6, cy - inner // 6],
                 fill=tint(main, 0.5))
    left, top, right, bottom = _sign_box(size)
    draw.rounded_rectangle([left, top, right, bottom], radius=12, fill=SIGN, outline=tint(main, 0.4), width=2)


def picture_bytes(title, subtitle="", size=(480, 480), fmt="JPEG"):
    main = colour(subtitle if _is_cover(size) and subtitle else title)
    image = Image.new("RGB", size, main)
    draw = ImageDraw.Draw(image)
    (_draw_cover if _is_cover(size) else _draw_product)(draw, size, main)
    for line in layout(title, subtitle, size):
        fill = INK if line.role == "title" else (tint(INK, 0.2) if _is_cover(size) else INK)
        draw.text(line.xy, line.text, fill=fill, font=line.font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return buffer.getvalue()
