#!/usr/bin/env python3
"""Draws the example site's photos and emblem (deterministic; needs Pillow).

The photos are illustrations in the style of activity photos (sky, hills, a banner, people),
small enough to commit: run from the repository root, `python3 scripts/make-example-images.py`.
"""
import math
import os
import random

from PIL import Image, ImageDraw, ImageFilter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "example-site")
W, H = 960, 640

PALETTES = [
    ((120, 170, 225), (200, 225, 245), (70, 130, 80)),    # clear day
    ((240, 160, 110), (250, 215, 160), (80, 110, 70)),    # evening
    ((150, 190, 230), (225, 235, 245), (95, 140, 95)),    # spring
    ((170, 185, 200), (230, 232, 235), (110, 120, 100)),  # overcast
]


def lerp(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b))


def scene(seed, indoor=False):
    rng = random.Random(seed)
    top, bottom, hill = PALETTES[seed % len(PALETTES)]
    img = Image.new("RGB", (W, H))
    d = ImageDraw.Draw(img)
    if indoor:
        # a meeting room: wall, red backdrop with a gold line, rows of seats
        d.rectangle((0, 0, W, H), fill=(236, 228, 214))
        d.rectangle((120, 60, W - 120, 300), fill=(178, 24, 30))
        d.rectangle((120, 250, W - 120, 262), fill=(236, 180, 40))
        for i in range(7):
            x = 180 + i * 95
            d.rectangle((x, 120, x + 60, 150), fill=(250, 235, 200))
        d.rectangle((0, 330, W, H), fill=(150, 110, 80))
        for row in range(4):
            for col in range(9):
                x = 60 + col * 100 + (row % 2) * 40 + rng.randint(-6, 6)
                y = 380 + row * 62
                col_body = rng.choice([(40, 50, 70), (60, 60, 60), (230, 230, 235), (150, 30, 30)])
                d.ellipse((x, y - 34, x + 30, y - 4), fill=(60, 40, 30))
                d.rounded_rectangle((x - 10, y - 6, x + 40, y + 44), 10, fill=col_body)
        d.rectangle((420, 300, 540, 360), fill=(120, 70, 40))
    else:
        for y in range(H):
            d.line((0, y, W, y), fill=lerp(top, bottom, y / H))
        sx, sy = rng.randint(100, W - 100), rng.randint(60, 160)
        d.ellipse((sx - 40, sy - 40, sx + 40, sy + 40), fill=(255, 236, 170))
        for layer in range(3):
            base = 300 + layer * 70
            amp = 40 - layer * 8
            phase = rng.random() * 6
            color = lerp(hill, (30, 60, 40), layer / 3)
            pts = [(x, base + amp * math.sin(x / (120 + layer * 40) + phase)) for x in range(0, W + 20, 20)]
            d.polygon(pts + [(W, H), (0, H)], fill=color)
        # a red banner on two poles
        bx = rng.randint(120, 420)
        d.rectangle((bx, 330, bx + 6, 470), fill=(90, 60, 40))
        d.rectangle((bx + 330, 330, bx + 336, 470), fill=(90, 60, 40))
        d.rectangle((bx + 6, 340, bx + 330, 392), fill=(200, 22, 29))
        for i in range(12):
            d.rectangle((bx + 26 + i * 25, 356, bx + 42 + i * 25, 376), fill=(250, 225, 120))
        for i in range(rng.randint(14, 22)):
            x = rng.randint(20, W - 40)
            y = rng.randint(470, 600)
            shirt = rng.choice([(200, 30, 35), (230, 190, 40), (40, 70, 140), (240, 240, 240)])
            d.ellipse((x, y - 40, x + 18, y - 22), fill=(70, 45, 35))
            d.rounded_rectangle((x - 4, y - 22, x + 22, y + 18), 6, fill=shirt)
            d.rectangle((x, y + 18, x + 7, y + 44), fill=(40, 40, 50))
            d.rectangle((x + 11, y + 18, x + 18, y + 44), fill=(40, 40, 50))
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    noise = Image.effect_noise((W, H), 18).convert("RGB")
    return Image.blend(img, noise, 0.06)


def emblem(path):
    s = 480
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red, gold = (200, 22, 29, 255), (244, 180, 0, 255)
    d.ellipse((10, 10, s - 10, s - 10), fill=gold)
    d.ellipse((28, 28, s - 28, s - 28), fill=red)
    c = s / 2
    # five small circles: the five 微 pillars, around one star: 一体
    for k in range(5):
        a = -math.pi / 2 + k * 2 * math.pi / 5
        x, y = c + 140 * math.cos(a), c + 140 * math.sin(a)
        d.ellipse((x - 34, y - 34, x + 34, y + 34), fill=gold)
        d.ellipse((x - 22, y - 22, x + 22, y + 22), fill=red)
    pts = []
    for k in range(10):
        r = 92 if k % 2 == 0 else 38
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(pts, fill=gold)
    img.save(path, optimize=True)


def main():
    albums = {
        "2025-qiyi": [0, 1, 2, 3],
        "2025-zhiyuan": [4, 5, 6, 7],
    }
    for album, seeds in albums.items():
        d = os.path.join(ROOT, "albums", album)
        os.makedirs(d, exist_ok=True)
        for n, seed in enumerate(seeds, 1):
            scene(seed, indoor=(seed % 4 == 3)).save(os.path.join(d, "IMG_%04d.jpg" % n), quality=78, optimize=True)
    os.makedirs(os.path.join(ROOT, "brand"), exist_ok=True)
    emblem(os.path.join(ROOT, "brand", "logo.png"))
    os.makedirs(os.path.join(ROOT, "static"), exist_ok=True)
    Image.open(os.path.join(ROOT, "brand", "logo.png")).resize((128, 128), Image.LANCZOS).save(os.path.join(ROOT, "static", "logo.png"), optimize=True)
    for i, seed in enumerate([8, 9, 10, 11, 12], 1):
        scene(seed, indoor=(i in (1, 3))).resize((640, 427)).save(os.path.join(ROOT, "brand", "pillar-%d.jpg" % i), quality=74, optimize=True)


if __name__ == "__main__":
    main()
