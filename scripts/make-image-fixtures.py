#!/usr/bin/env python3
"""Writes tests/fixtures/photos: a small site whose album holds every kind of image the
pipeline must handle. Deterministic; needs Pillow. Run from the repository root."""
import os
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "photos")
ALBUM = os.path.join(ROOT, "albums", "mixed")
os.makedirs(ALBUM, exist_ok=True)
os.makedirs(os.path.join(ROOT, "content", "news"), exist_ok=True)

RED, GREEN, BLUE = (220, 20, 20), (20, 160, 40), (30, 60, 200)


def marked(w=40, h=20):
    """Green with a red block in the stored top-left corner."""
    img = Image.new("RGB", (w, h), GREEN)
    img.paste(RED, (0, 0, w // 4, h // 4))
    return img


def exif(orientation=None, gps=False):
    e = Image.Exif()
    if orientation:
        e[0x0112] = orientation
    e[0x0132] = "2024:07:01 09:30:00"  # DateTime
    if gps:
        e[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 5.0)}
    return e


for o in range(1, 9):
    marked().save(os.path.join(ALBUM, f"orient-{o}.jpg"), quality=95, exif=exif(o, gps=(o == 1)))
# CMYK as Photoshop writes it (Adobe, inverted); grayscale; progressive.
Image.new("CMYK", (32, 24), (0, 255, 255, 0)).save(os.path.join(ALBUM, "cmyk.jpg"), quality=95)
Image.new("L", (32, 24), 128).save(os.path.join(ALBUM, "gray.jpg"), quality=95)
marked(64, 48).save(os.path.join(ALBUM, "progressive.jpg"), quality=90, progressive=True)
# 16-bit PNG, PNG with alpha, WebP input.
Image.new("I;16", (30, 20), 40000).save(os.path.join(ALBUM, "deep16.png"))
rgba = Image.new("RGBA", (30, 20), (0, 0, 255, 0))
rgba.paste((255, 0, 0, 255), (0, 0, 15, 20))
rgba.save(os.path.join(ALBUM, "alpha.png"))
Image.new("RGB", (30, 20), BLUE).save(os.path.join(ALBUM, "input.webp"), quality=90)
# A Chinese name with a space; a large photo for the widths.
big = Image.new("RGB", (1200, 800), GREEN)
big.paste(RED, (0, 0, 300, 200))
big.save(os.path.join(ALBUM, "七一 合影.jpg"), quality=80)

with open(os.path.join(ROOT, "site.yaml"), "w") as f:
    f.write("title: 照片测试\nbase_url: https://example.org/\n")
with open(os.path.join(ALBUM, "album.yaml"), "w") as f:
    f.write("title: 各种照片\ndate: 2024-07-01\nlocation: 测试地点\nphotos:\n  - { file: 七一 合影.jpg, caption: 全体合影 }\n")
with open(os.path.join(ROOT, "content", "news", "a.md"), "w") as f:
    f.write("---\ntitle: 有相册的页面\ndate: 2024-07-02\nalbum: mixed\ncover: ../../albums/mixed/progressive.jpg\n---\n正文。\n")
