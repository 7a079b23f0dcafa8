"""Builders of image files for the image tests: real encodes made with Pillow, plus the
hostile ones (renamed HTML, SVG, truncated, a decompression bomb header, animated)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(width: int = 640, height: int = 480) -> Image.Image:
    """Left half red, right half blue: orientation is visible in the pixels."""
    image = Image.new("RGB", (width, height), (220, 30, 30))
    image.paste((30, 30, 220), (width // 2, 0, width, height))
    return image


def encode(
    image: Image.Image, fmt: str = "JPEG", *, gps: bool = False, orientation: int | None = None
) -> bytes:
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 40.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    kwargs = {"exif": exif.tobytes()} if (gps or orientation) else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def jpeg(width: int = 640, height: int = 480, **kwargs: object) -> bytes:
    return encode(picture(width, height), "JPEG", **kwargs)  # type: ignore[arg-type]


def png(width: int = 640, height: int = 480) -> bytes:
    image = picture(width, height).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 40, 40))
    return encode(image, "PNG")


def webp(width: int = 640, height: int = 480) -> bytes:
    return encode(picture(width, height), "WEBP")


def animated_webp() -> bytes:
    frames = [picture(), picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=200)
    return out.getvalue()


def animated_png() -> bytes:
    frames = [picture(), picture().transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    out = io.BytesIO()
    frames[0].save(out, "PNG", save_all=True, append_images=frames[1:], duration=200)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG header claiming 400 megapixels over a few bytes of data: never to be decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
    b'<script>alert(1)</script><rect width="400" height="400"/></svg>'
)
