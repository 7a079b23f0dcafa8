"""Throughput of the claim checker on synthetic listings, with memory kept flat.

Run from the repo root: ``python scripts/bench_claims.py [--listings 100000] [--seed 7]``.
Listings (~80 words, sound and faulty sentences mixed) are generated lazily from a seeded
``random.Random``, so the run is reproducible and never holds the corpus in memory. They
repeat a pool of sentences, as a catalogue repeats its boilerplate, and the checker reads
each sentence once while it keeps it; ``--unique`` numbers every sentence so none repeats. Prints
listings/s, MB/s, findings per severity and peak RSS at each quarter of the run.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalogue.core.bands import Area, Band  # noqa: E402
from catalogue.core.claims.check import check_listing, read_rules, warm_up  # noqa: E402

SOUND = [
    "This panel pairs {red} nm red light with {nir} nm near-infrared LEDs.",
    "Most people notice a gentle warmth after a few minutes of use.",
    "Results build gradually over several weeks of consistent sessions.",
    "It does not replace medical treatment, instantly eliminate pain, or serve as a cure-all.",
    "Keep it about 15 cm from the skin for a ten-minute session.",
    "Near-infrared light is invisible, so expect no bright glow while it runs.",
    "If it feels uncomfortable, move farther away or shorten the session.",
    "The aluminium housing stays cool thanks to a quiet fan.",
    "A two-year warranty and a red carry case are included.",
    "Use it alongside the care your physio recommends, not instead of it.",
    "The timer switches the LEDs off after 10, 15 or 20 minutes.",
    "Near-infrared reaches deeper than red light, toward muscle and joints.",
    "FDA-cleared for temporary relief of minor muscle aches.",
    "Expect gentle warmth, not the sharp heat of a heating pad.",
    "It is not a one-session miracle; give it a few weeks.",
    "Weighs 1.2 kg and mounts on a door with the included strap.",
]
FAULTY = [
    "It cures arthritis and heals sports injuries.",
    "Instant pain relief from the very first session.",
    "Stop taking your painkillers - this replaces them.",
    "A miracle device with results guaranteed.",
    "It repairs damaged nerves in your hands and feet.",
    "Watch the NIR glow as it warms your back.",
    "Feel the intense heat melt away stiffness.",
    "Penetrates deep into muscles and joints.",
    "Built around 630 nm and 940 nm diodes.",
    "Dual-wavelength red and near-infrared panel.",
    "Smooths wrinkles and fine lines for a youthful complexion.",
    "FDA approved and clinically proven.",
]
RECORDS = [
    ([660.0, 850.0], ["knees", "shoulders", "lower-back"]),
    ([630.0, 660.0], ["face", "scalp"]),
    ([630.0, 660.0], ["knees"]),
    ([850.0], ["thighs", "calves"]),
    ([850.0], ["face"]),
    ([590.0, 660.0, 850.0, 940.0], ["whole-body"]),
]


def listings(
    n: int, seed: int, unique: bool = False
) -> Iterator[tuple[str, list[float], list[str]]]:
    """``unique``: every sentence gets a serial number of its own, so no sentence repeats
    and the checker's per-sentence stores never help (its cold rate)."""
    rng = random.Random(seed)
    serial = 0
    for _ in range(n):
        waves, area_slugs = rng.choice(RECORDS)
        words, parts = 0, []
        while words < 78:
            pool = FAULTY if rng.random() < 0.15 else SOUND
            sentence = rng.choice(pool).format(
                red=rng.choice((630, 660)), nir=rng.choice((810, 850))
            )
            if unique:
                serial += 1
                sentence = f"Lot {serial}: {sentence}"
            parts.append(sentence)
            words += sentence.count(" ") + 1
        yield " ".join(parts), waves, area_slugs


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--unique", action="store_true", help="no sentence repeats (the checker's cold rate)"
    )
    args = parser.parse_args()

    rules = read_rules(ROOT / "seed" / "rules.json")
    with (ROOT / "seed" / "bands.csv").open(encoding="utf-8") as fh:
        bands = [
            Band(r["slug"], r["name"], float(r["min_nm"]), float(r["max_nm"]), r["depth"])  # type: ignore[arg-type]
            for r in csv.DictReader(fh)
        ]
    with (ROOT / "seed" / "areas.csv").open(encoding="utf-8") as fh:
        areas = {
            r["slug"]: Area(r["slug"], r["name"], r["depth"], r["group"], r["target"])  # type: ignore[arg-type]
            for r in csv.DictReader(fh)
        }
    warm_up(rules, bands)  # compile the scanners before timing

    severities: Counter[str] = Counter()
    total_bytes = total_words = 0
    quarter = max(1, args.listings // 4)
    print(f"peak RSS after warm-up: {peak_rss_mb():.1f} MB")
    start, cpu_start = time.perf_counter(), time.process_time()
    checked, in_checker, cpu_in_checker = 0, 0.0, 0.0
    clock, cpu_clock = time.perf_counter, time.process_time
    for text, waves, slugs in listings(args.listings, args.seed, args.unique):
        record_areas = [areas[a] for a in slugs]
        t0, c0 = clock(), cpu_clock()
        found = check_listing(text, waves, record_areas, rules, bands)
        in_checker += clock() - t0
        cpu_in_checker += cpu_clock() - c0
        for finding in found:
            severities[finding.severity] += 1
        total_bytes += len(text.encode("utf-8"))
        total_words += text.count(" ") + 1
        checked += 1
        if checked % quarter == 0:
            print(f"  {checked:>7} listings  peak RSS {peak_rss_mb():.1f} MB")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    print(f"listings: {checked}, mean words: {total_words / checked:.1f}")
    print(f"time: {elapsed:.2f} s in all, {in_checker:.2f} s inside check_listing")
    rate, mb = checked / in_checker, total_bytes / in_checker / 1e6
    print(f"checker, wall clock: {rate:,.0f} listings/s, {mb:.2f} MB/s")
    rate, mb = checked / cpu_in_checker, total_bytes / cpu_in_checker / 1e6
    print(f"checker, CPU time (one core, other load aside): {rate:,.0f} listings/s, {mb:.2f} MB/s")
    print(
        f"end to end (generation included): {checked / elapsed:,.0f} listings/s, "
        f"{total_bytes / elapsed / 1e6:.2f} MB/s; CPU time {cpu:.2f} s "
        f"({checked / cpu:,.0f} listings per CPU-second)"
    )
    print("findings: " + ", ".join(f"{k} {v}" for k, v in sorted(severities.items())))
    print(f"peak RSS at end: {peak_rss_mb():.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
