"""Draws the installed web app's icons (PNG) from the same shapes as onward/static/onward/favicon.svg.

Run once when the mark changes: `.venv/bin/python scripts/make_app_icons.py`. The PNGs are committed;
nothing draws them at run time. Phones want PNGs of at least 192 and 512 pixels to install an app.
"""

from pathlib import Path

from PIL import Image, ImageDraw

STATIC = Path(__file__).resolve().parent.parent / "onward" / "static" / "onward"
SIZES_PX = (192, 512)
SUPERSAMPLE = 4  # drawn large and scaled down, for smooth edges
# In the favicon's 32-unit box: the square's corner radius, the ring's radius and stroke.
CORNER, RING_RADIUS, RING_STROKE, BOX = 6, 8.5, 4, 32


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    unit = big / BOX
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    # A maskable icon fills its square: the phone cuts its own shape, keeping the middle 80 %.
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=0 if maskable else CORNER * unit, fill="#0b0c0c")
    scale = 0.8 if maskable else 1.0
    outer = (RING_RADIUS + RING_STROKE / 2) * unit * scale
    middle = big / 2
    pen.ellipse(
        (middle - outer, middle - outer, middle + outer, middle + outer),
        outline="#ffffff",
        width=round(RING_STROKE * unit * scale),
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    for size in SIZES_PX:
        draw(size, maskable=False).save(STATIC / f"icon-{size}.png", optimize=True)
        draw(size, maskable=True).save(STATIC / f"icon-maskable-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
