"""Image timings: processing a 10 MB camera-sized JPEG, and the list page with thumbnails.

Run from the repo root: ``python scripts/bench_images.py [--runs 5]``. Prints figures, asserts
nothing (the machines are shared). The photo is synthetic: a 24 MP gradient with noise,
encoded just under the 10 MB upload limit, with an EXIF orientation to apply.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from catalogue.media.processing import MAX_BYTES, process  # noqa: E402


def camera_jpeg(width: int = 6000, height: int = 4000) -> bytes:
    """A noisy gradient, the hardest kind of photo to compress, as large as the limit allows."""
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 48)
    image = Image.merge(
        "RGB", (gradient, noise, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    )
    exif = Image.Exif()
    exif[0x0112] = 6
    best = b""
    for quality in (95, 92, 90, 88, 85, 80, 75, 70):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif.tobytes())
        if out.tell() <= MAX_BYTES:
            best = out.getvalue()
            break
    return best


def bench_processing(runs: int) -> None:
    data = camera_jpeg()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        processed = process(data, "camera.jpg")
        timings.append(time.perf_counter() - start)
    sizes = sum(len(r.data) for r in processed.renditions)
    print(
        f"process a {len(data) / 1048576:.1f} MB {processed.height}x{processed.width} JPEG "
        f"(orientation 6): median {statistics.median(timings):.2f} s, "
        f"best {min(timings):.2f} s over {runs} runs (target < 2 s); "
        f"{len(processed.renditions)} renditions, {sizes / 1024:.0f} KB in all"
    )


def bench_list_page(runs: int) -> None:
    """/devices with 24 thumbnails over the seeded catalogue, through the app in process."""
    from litestar.testing import TestClient

    from catalogue.app import create_app
    from catalogue.cli import run_migrations
    from catalogue.data.db import Database
    from catalogue.imports.seed import seed_database
    from catalogue.media.storage import MediaStore
    from catalogue.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        run_migrations(url)
        db = Database(url)
        with db.writing() as session:
            seed_database(session, ROOT / "seed", media=MediaStore(Path(folder) / "media"))
        db.dispose()
        settings = Settings(database_url=url, media_dir=Path(folder) / "media")
        with TestClient(create_app(settings)) as client:
            for path in ("/devices?per_page=24", "/devices?per_page=24&area=knees"):
                client.get(path)  # warm
                timings = []
                for _ in range(runs * 20):
                    start = time.perf_counter()
                    response = client.get(path)
                    timings.append(time.perf_counter() - start)
                    assert response.status_code == 200
                timings.sort()
                p50 = timings[len(timings) // 2] * 1000
                p99 = timings[int(len(timings) * 0.99) - 1] * 1000
                pictures = response.text.count("<picture")
                print(f"{path}: {pictures} thumbnails, p50 {p50:.1f} ms, p99 {p99:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    bench_processing(args.runs)
    bench_list_page(args.runs)


if __name__ == "__main__":
    main()
