"""Draw the Teams app icons (color.png 192x192, outline.png 32x32) with the standard library alone.

Run `python deploy/teams/make_icons.py` after changing the drawing, and commit both PNGs: the
tests fail when the committed files no longer match what this script draws.

The picture is a shield with a tick: "safe to share, checked". Teams asks for a full-colour icon
(solid background is fine) and an outline icon that is white on a transparent background, so the
outline is drawn only as white with varying alpha (soft edges), never any other colour.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ACCENT = (0x0F, 0x5C, 0x8C)  # the manifest's accentColor
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # sub-pixel samples per axis, for smooth edges

Shape = Callable[[float, float], bool]


def _shield(inset: float = 0.0) -> Shape:
    """A heater shield in a [-1, 1] box: flat top with round corners, straight sides, a point below."""
    half_width = 0.8 - inset
    top = -1.0 + inset
    waist = 0.05
    tip = 1.0 - inset * 1.7  # the point recedes faster than the sides, so the border looks even
    corner = max(0.15 - inset, 0.02)

    def inside(x: float, y: float) -> bool:
        if y < top or y > tip:
            return False
        ax = abs(x)
        if y <= waist:
            if ax > half_width:
                return False
            if y < top + corner and ax > half_width - corner:
                return math.hypot(ax - (half_width - corner), y - (top + corner)) <= corner
            return True
        return ax <= half_width * math.cos((y - waist) / (tip - waist) * math.pi / 2)

    return inside


def _tick(half_thickness: float) -> Shape:
    """A tick (check mark) as a thick two-segment line with round ends."""
    points = ((-0.38, 0.0), (-0.1, 0.3), (0.4, -0.32))

    def distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
        (ax, ay), (bx, by) = a, b
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(px - (ax + t * dx), py - (ay + t * dy))

    def inside(x: float, y: float) -> bool:
        return min(distance(x, y, points[0], points[1]), distance(x, y, points[1], points[2])) <= half_thickness

    return inside


def _coverage(size: int, scale: float, shape: Shape) -> list[list[float]]:
    """Fraction (0..1) of each pixel covered by the shape, the [-1, 1] box scaled to `scale` of the icon."""
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    u = (px + (sx + 0.5) / SAMPLES) / size
                    v = (py + (sy + 0.5) / SAMPLES) / size
                    if shape((u - 0.5) * 2 / scale, (v - 0.5) * 2 / scale):
                        hits += 1
            row.append(hits / (SAMPLES * SAMPLES))
        rows.append(row)
    return rows


def color_icon(size: int = 192) -> bytes:
    """RGBA pixels: a white shield with an accent-coloured tick on an accent background."""
    shield, tick = _shield(), _tick(0.11)
    # Teams shows the symbol inside a safe area of about 120 of the 192 pixels.
    cover = _coverage(size, 0.62, lambda x, y: shield(x, y) and not tick(x, y))
    out = bytearray()
    for row in cover:
        for c in row:
            out += bytes(round(a * (1 - c) + w * c) for a, w in zip(ACCENT, WHITE)) + b"\xff"
    return bytes(out)


def outline_icon(size: int = 32) -> bytes:
    """RGBA pixels: a white shield border and tick on a fully transparent background."""
    outer, inner, tick = _shield(), _shield(0.17), _tick(0.1)
    cover = _coverage(size, 0.94, lambda x, y: (outer(x, y) and not inner(x, y)) or tick(x, y))
    out = bytearray()
    for row in cover:
        for c in row:
            out += bytes(WHITE) + bytes([round(255 * c)])
    return bytes(out)


def png_bytes(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG (no filtering, zlib level 9)."""
    if len(rgba) != width * height * 4:
        raise ValueError("pixel data does not match the size")

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    stride = width * 4
    raw = b"".join(b"\x00" + rgba[y * stride:(y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit, colour type 6 = RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


ICONS = {"color.png": (192, color_icon), "outline.png": (32, outline_icon)}


def main(out_dir: Path = HERE) -> int:
    """Write both icons into out_dir."""
    for name, (size, draw) in ICONS.items():
        path = out_dir / name
        path.write_bytes(png_bytes(size, size, draw(size)))
        print(f"wrote {path} ({size}x{size})")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
