"""Product and cover pictures drawn locally with Pillow: nothing is downloaded."""
import hashlib
import io

from PIL import Image, ImageDraw, ImageFont


def _colour(seed):
    digest = hashlib.sha256(seed.encode()).digest()
    # Muted, light backgrounds so dark text stays readable.
    return tuple(150 + b % 90 for b in digest[:3])


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def _wrap(text, width):
    words, lines, current = text.split(), [], ""
    for word in words:
        if len(current) + len(word) + 1 > width and current:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines[:4]


def picture_bytes(title, subtitle="", size=(480, 480), fmt="JPEG"):
    image = Image.new("RGB", size, _colour(title))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([12, 12, w - 12, h - 12], outline=(60, 60, 60), width=3)
    big = _font(max(18, w // 14))
    y = h // 3
    for line in _wrap(title, 16 if w < 800 else 30):
        draw.text((w // 2, y), line, fill=(25, 25, 25), font=big, anchor="mm")
        y += w // 11
    if subtitle:
        draw.text((w // 2, h - 50), subtitle, fill=(40, 40, 40), font=_font(max(14, w // 24)), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=80)
    return buffer.getvalue()
