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

# Colour-managed photos: a saturated patch in the centre, stored as Adobe RGB (camera) and
# Display P3 (phone) numbers with the profile embedded (tests/fixtures/icc).
ICC = os.path.join(os.path.dirname(ROOT), "icc")
COLOUR = os.path.join(ROOT, "albums", "colour")
os.makedirs(COLOUR, exist_ok=True)
for name, profile, patch in [("adobe-rgb.jpg", "AdobeRGB1998.icc", (60, 180, 75)),
                             ("display-p3.jpg", "DisplayP3.icc", (200, 40, 40))]:
    img = Image.new("RGB", (96, 64), (128, 128, 128))
    img.paste(patch, (24, 16, 72, 48))
    with open(os.path.join(ICC, profile), "rb") as f:
        img.save(os.path.join(COLOUR, name), quality=100, subsampling=0, icc_profile=f.read())
with open(os.path.join(COLOUR, "album.yaml"), "w") as f:
    f.write("title: 色彩管理\ndate: 2024-06-01\n")

# tests/fixtures/phone, a site of its own (HEIC needs libheif, which the photos fixture
# must not): a HEIC photo (made with libheif's heif-enc from a JPEG stored sideways, EXIF
# orientation 6) with its Live Photo movie and iPhone edit file beside it.
import shutil, subprocess, tempfile
PHONE = os.path.join(os.path.dirname(ROOT), "phone", "albums", "phone")
os.makedirs(PHONE, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "sideways.jpg")
    e = exif(6)
    e.get_ifd(0x8769)[0x9003] = "2024:05:04 10:00:00"  # DateTimeOriginal, in the Exif IFD
    marked(64, 32).save(src, quality=95, exif=e)
    if shutil.which("heif-enc"):
        subprocess.run(["heif-enc", "-q", "90", "-o", os.path.join(PHONE, "IMG_0001.HEIC"), src],
                       check=True, stdout=subprocess.DEVNULL)
with open(os.path.join(PHONE, "IMG_0001.MOV"), "wb") as f:
    f.write(b"\0\0\0\x14ftypqt  \0\0\0\0qt  ")
with open(os.path.join(PHONE, "IMG_0001.AAE"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict/></plist>\n')
with open(os.path.join(PHONE, "album.yaml"), "w") as f:
    f.write("title: 手机照片\ndate: 2024-05-04\n")
with open(os.path.join(os.path.dirname(ROOT), "phone", "site.yaml"), "w") as f:
    f.write("title: 手机照片测试\nbase_url: https://example.org/\n")

with open(os.path.join(ROOT, "site.yaml"), "w") as f:
    f.write("title: 照片测试\nbase_url: https://example.org/\n")
with open(os.path.join(ALBUM, "album.yaml"), "w") as f:
    f.write("title: 各种照片\ndate: 2024-07-01\nlocation: 测试地点\nphotos:\n  - { file: 七一 合影.jpg, caption: 全体合影 }\n")
with open(os.path.join(ROOT, "content", "news", "a.md"), "w") as f:
    f.write("---\ntitle: 有相册的页面\ndate: 2024-07-02\nalbum: mixed\ncover: ../../albums/mixed/progressive.jpg\n---\n正文。\n")
