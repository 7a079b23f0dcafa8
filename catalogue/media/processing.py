"""Turning uploaded bytes into safe renditions: no web, no database, only Pillow.

Nothing an uploader sends is kept as sent. The type is read from the first bytes (never the
name or the declared content type), the pixel count is checked from the header before any
decoding, and every kept file is a fresh encode of the decoded pixels: EXIF (GPS included),
XMP, ICC and comments do not survive, the EXIF orientation is applied first and colours are
converted to sRGB.

    >>> processed = process(open("panel.jpg", "rb").read(), "panel.jpg")
    >>> sorted(r.name for r in processed.renditions)[:2]
    ['3f2a…-1200.jpg', '3f2a…-1200.webp']
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageCms, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SHORT_SIDE = 200
WIDTHS = (160, 480, 1200)
# WebP for browsers that take it, JPEG for the rest (``<picture>`` chooses).
FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
CONTENT_TYPES = {ext: mime for ext, _, mime in FORMATS}
HASH_LENGTH = 32  # hex digits of SHA-256: plenty against collisions, short in a URL

RESAMPLE = Image.Resampling.LANCZOS
# What Pillow raises on a damaged or cut-short file, depending on where the damage is.
DAMAGED = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)
# The first bytes of each accepted type; anything else is refused before Pillow sees it.
_SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
}


class ImageRefused(Exception):
    """An upload that is not kept; the message names the file and says why."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Rendition:
    name: str  # "<hash>-<width>.<ext>"
    width: int
    height: int
    data: bytes


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    content_hash: str
    width: int  # of the image as shown (orientation applied), before any downscaling
    height: int
    renditions: tuple[Rendition, ...]


def sniff(data: bytes) -> str | None:
    """``"JPEG"``, ``"PNG"``, ``"WEBP"`` from the leading bytes, else None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for kind, signatures in _SIGNATURES.items():
        if data.startswith(signatures):
            return kind
    return None


def rendition_widths(width: int) -> tuple[int, ...]:
    """The fixed widths narrower than the image, then the image's own width up to the widest:
    a 700 px image gets 160, 480 and 700; a 3000 px one 160, 480 and 1200."""
    widest = min(width, WIDTHS[-1])
    return (*[w for w in WIDTHS if w < widest], widest)


def rendition_height(width: int, height: int, to_width: int) -> int:
    return max(1, round(height * to_width / width))


def rendition_name(content_hash: str, width: int, ext: str) -> str:
    return f"{content_hash}-{width}.{ext}"


def rendition_names(content_hash: str, width: int) -> list[str]:
    return [
        rendition_name(content_hash, w, ext)
        for w in rendition_widths(width)
        for ext, _, _ in FORMATS
    ]


# EXIF orientation -> the turn or flip that shows the picture upright (as ImageOps applies it).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _orientation(image: Image.Image) -> int:
    value = image.getexif().get(0x0112, 1)
    return value if value in _UPRIGHT else 1


def _oriented_size(image: Image.Image, orientation: int) -> tuple[int, int]:
    """The size once EXIF orientation is applied (5-8 turn the image a quarter)."""
    w, h = image.size
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def _open(data: bytes, filename: str) -> Image.Image:
    if len(data) > MAX_BYTES:
        raise ImageRefused(filename, f"is {len(data) / 1048576:.1f} MB; the most we take is 10 MB")
    kind = sniff(data)
    if kind is None:
        raise ImageRefused(
            filename,
            "is not a JPEG, PNG or WebP image (we read the file's contents, not its name)",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(filename, _too_many_pixels()) from None
    except (UnidentifiedImageError, *DAMAGED):
        raise ImageRefused(filename, f"is damaged or not a readable {kind} image") from None
    try:
        _check(image, filename)
    except DAMAGED:
        raise ImageRefused(filename, "is truncated or damaged and cannot be read") from None
    return image


def _check(image: Image.Image, filename: str) -> None:
    """Size and frames, from the header: nothing is decoded yet."""
    w, h = image.size
    if w * h > MAX_PIXELS:
        raise ImageRefused(filename, f"is {w} × {h} px; {_too_many_pixels()}")
    if getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1:
        raise ImageRefused(filename, "is animated; we take still images only")
    if min(w, h) < MIN_SHORT_SIDE:
        raise ImageRefused(
            filename, f"is {w} × {h} px; the shorter side must be at least {MIN_SHORT_SIDE} px"
        )


def _too_many_pixels() -> str:
    return f"has more than {MAX_PIXELS // 1_000_000} megapixels, which we do not decode"


def _to_srgb(image: Image.Image) -> Image.Image:
    """RGB pixels in sRGB: an embedded colour profile is applied, transparency lies on white."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels are taken as sRGB, as browsers would
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 256).convert("L")
    return image if image.mode == "RGB" else image.convert("RGB")


def _decode(image: Image.Image, filename: str, target: tuple[int, int]) -> Image.Image:
    if image.format == "JPEG":
        # Decode at the smallest 1/2, 1/4 or 1/8 scale still at least as big as the widest
        # rendition: a 24 MP photo then decodes in a fraction of the time and memory.
        image.draft("RGB" if image.mode == "RGB" else None, target)
    try:
        image.load()
    except DAMAGED:
        raise ImageRefused(filename, "is truncated or damaged and cannot be read") from None
    return image


def _encode(image: Image.Image, pil_format: str) -> bytes:
    out = io.BytesIO()
    if pil_format == "WEBP":
        # method 2 of 0-6: half the time of the default 4 for files a few percent larger.
        image.save(out, "WEBP", quality=80, method=2)
    else:
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def process(data: bytes, filename: str) -> ProcessedImage:
    """The renditions of one upload, or ``ImageRefused`` naming ``filename`` and the reason."""
    image = _open(data, filename)
    try:
        orientation = _orientation(image)
    except DAMAGED:
        raise ImageRefused(filename, "is truncated or damaged and cannot be read") from None
    width, height = _oriented_size(image, orientation)
    widest = rendition_widths(width)[-1]
    target = rendition_height(width, height, widest)
    # draft() sizes are before rotation: ask for the larger of both so either way fits.
    side = max(widest, target)
    image = _decode(image, filename, (side, side))
    try:
        rgb = _to_srgb(image)
        # Scale down first and turn upright after: turning 1200 px costs less than 6000.
        quarter = orientation in (5, 6, 7, 8)
        rgb = rgb.resize((target, widest) if quarter else (widest, target), RESAMPLE)
        if orientation in _UPRIGHT:
            rgb = rgb.transpose(_UPRIGHT[orientation])
    except DAMAGED:
        raise ImageRefused(filename, "is damaged and cannot be converted") from None
    rgb.info = {}  # nothing of the upload's metadata travels on
    content_hash = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    renditions = []
    for w in reversed(rendition_widths(width)):
        h = rendition_height(width, height, w)
        if rgb.size != (w, h):
            # Each smaller size from the one above it: the big resample happens once.
            rgb = rgb.resize((w, h), RESAMPLE)
        for ext, pil_format, _ in FORMATS:
            renditions.append(
                Rendition(rendition_name(content_hash, w, ext), w, h, _encode(rgb, pil_format))
            )
    renditions.reverse()
    return ProcessedImage(content_hash, width, height, tuple(renditions))
