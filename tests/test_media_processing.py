"""The image pipeline on its own: accepted types, each refusal, metadata, orientation."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from catalogue.media import processing
from catalogue.media.processing import ImageRefused, process, rendition_widths
from tests import media_support as m


@pytest.mark.parametrize(
    ("data", "size"),
    [
        (m.jpeg(640, 480), (640, 480)),
        (m.png(300, 900), (300, 900)),
        (m.webp(1600, 1200), (1600, 1200)),
        (m.encode(m.picture().convert("L"), "PNG"), (640, 480)),
        (m.encode(m.picture().convert("CMYK"), "JPEG"), (640, 480)),
        (m.encode(m.picture().convert("P"), "PNG"), (640, 480)),
    ],
    ids=["jpeg", "png-with-alpha", "webp", "grey-png", "cmyk-jpeg", "palette-png"],
)
def test_each_accepted_type_gives_webp_and_jpeg_renditions(
    data: bytes, size: tuple[int, int]
) -> None:
    processed = process(data, "photo.bin")
    assert (processed.width, processed.height) == size
    assert len(processed.content_hash) == processing.HASH_LENGTH
    widths = rendition_widths(size[0])
    assert sorted({r.width for r in processed.renditions}) == list(widths)
    for rendition in processed.renditions:
        with Image.open(io.BytesIO(rendition.data)) as image:
            assert image.format == ("WEBP" if rendition.name.endswith(".webp") else "JPEG")
            assert image.size == (rendition.width, rendition.height)
            assert image.mode == "RGB"
        assert rendition.name.startswith(processed.content_hash)


@pytest.mark.parametrize(
    ("width", "expected"),
    [(200, (160, 200)), (480, (160, 480)), (700, (160, 480, 700)), (4000, (160, 480, 1200))],
)
def test_rendition_widths(width: int, expected: tuple[int, ...]) -> None:
    assert rendition_widths(width) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (m.HTML, "is not a JPEG, PNG or WebP image"),
        (m.SVG, "is not a JPEG, PNG or WebP image"),
        (b"", "is not a JPEG, PNG or WebP image"),
        (m.jpeg(800, 600)[:3000], "is truncated or damaged"),
        (m.png(800, 600)[:400], "is truncated or damaged"),
        (m.bomb_png(), "has more than 40 megapixels"),
        (m.bomb_png(8000, 6000), "8000 × 6000 px; has more than 40 megapixels"),
        (m.jpeg(640, 150), "the shorter side must be at least 200 px"),
        (m.animated_webp(), "is animated"),
        (m.animated_png(), "is animated"),
        (b"\xff\xd8\xff" + b"\x00" * (10 * 1024 * 1024), "the most we take is 10 MB"),
        (b"\xff\xd8\xff\xe0garbage" * 10, "is damaged or not a readable JPEG image"),
    ],
    ids=[
        "html",
        "svg",
        "empty",
        "truncated-jpeg",
        "truncated-png",
        "bomb-400mp",
        "bomb-48mp",
        "too-small",
        "animated-webp",
        "animated-png",
        "over-10mb",
        "jpeg-signature-then-junk",
    ],
)
def test_refusals_name_the_file_and_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ImageRefused) as refused:
        process(data, "holiday.png")
    assert str(refused.value).startswith("holiday.png: ")
    assert message in str(refused.value)


def test_gps_and_every_other_metadata_are_gone_from_every_rendition() -> None:
    data = m.jpeg(1600, 1200, gps=True)
    with Image.open(io.BytesIO(data)) as source:
        assert source.getexif().get_ifd(m.GPS_IFD)  # the upload does carry a location
    for rendition in process(data, "gps.jpg").renditions:
        assert b"Exif" not in rendition.data
        with Image.open(io.BytesIO(rendition.data)) as image:
            assert not image.getexif().get_ifd(m.GPS_IFD)
            assert len(image.getexif()) == 0
            assert "icc_profile" not in image.info and "xmp" not in image.info


@pytest.mark.parametrize(
    ("orientation", "size", "top", "bottom"),
    [
        # 6: turn a quarter clockwise to show; the red left half comes out on top.
        (6, (480, 640), "red", "blue"),
        # 8: a quarter anticlockwise; the blue right half comes out on top.
        (8, (480, 640), "blue", "red"),
        (1, (640, 480), None, None),
    ],
)
def test_orientation_is_applied_before_resizing(
    orientation: int, size: tuple[int, int], top: str | None, bottom: str | None
) -> None:
    processed = process(m.jpeg(640, 480, orientation=orientation), "turned.jpg")
    assert (processed.width, processed.height) == size
    widest = max(processed.renditions, key=lambda r: r.width)
    assert (widest.width, widest.height) == size
    if top is None:
        return
    with Image.open(io.BytesIO(widest.data)) as image:
        rgb = image.convert("RGB")
        colours = {"red": 0, "blue": 2}
        upper = rgb.getpixel((size[0] // 2, 20))
        lower = rgb.getpixel((size[0] // 2, size[1] - 20))
        assert isinstance(upper, tuple) and isinstance(lower, tuple)
        assert upper[colours[top]] > 150 and lower[colours[bottom]] > 150


def test_same_bytes_same_names_different_bytes_different_names() -> None:
    first, again = process(m.jpeg(), "a.jpg"), process(m.jpeg(), "b.jpg")
    other = process(m.jpeg(700, 500), "c.jpg")
    assert [r.name for r in first.renditions] == [r.name for r in again.renditions]
    assert first.content_hash != other.content_hash


def test_transparency_lies_on_white() -> None:
    processed = process(m.png(400, 400), "alpha.png")
    jpeg = next(r for r in processed.renditions if r.name.endswith(".jpg") and r.width == 400)
    with Image.open(io.BytesIO(jpeg.data)) as image:
        corner = image.convert("RGB").getpixel((0, 0))
    assert isinstance(corner, tuple) and min(corner) > 200
