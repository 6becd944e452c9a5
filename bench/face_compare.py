"""Benchmark: one face-comparison pair (encode both photos + distance) on one core.

    .venv/bin/python bench/face_compare.py [--iterations 40] [--target 0.2]
    .venv/bin/python bench/face_compare.py --smoke    # 4 pairs: the code path, no target (CI)

The photos are derived from ../shared/testdata/faces (kaowu/identity/tests/imagery.py): for each of
the two people, the 证件照 against the ID card portrait side (a low-quality JPEG stored sideways
with an EXIF orientation) and against the handheld photo, decoded by the upload intake first as in
production. The models are loaded and the pairs run a few times before measuring. Prints the
median and 95th percentile seconds per pair beside the target, and the peak memory of the process;
exits 1 when the median misses the target (issue 3: ≤ 0.2 s per pair on one core after warm-up) or a
pair of the same person does not match (with --smoke only then).
"""

import os

# One core: set before numpy and dlib are imported, so no library starts a thread pool.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=None, help="pairs measured (default 40; --smoke: 4)")
    parser.add_argument("--warmup", type=int, default=None, help="pairs run before measuring (default 4; --smoke: 1)")
    parser.add_argument("--target", type=float, default=0.2, help="median seconds per pair (default 0.2)")
    parser.add_argument("--core", type=int, default=None, help="CPU to pin to (default: the first allowed)")
    parser.add_argument("--smoke", action="store_true",
                        help="a few pairs: the code path (each pair must still match), no target (CI)")
    args = parser.parse_args()
    args.iterations = args.iterations or (4 if args.smoke else 40)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.smoke else 4)

    pinned = "no"
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0)) if args.core is None else args.core
        try:
            os.sched_setaffinity(0, {core})
            pinned = f"core {core}"
        except OSError:
            pass

    import django

    django.setup()
    import dlib

    from kaowu.identity import faces
    from kaowu.identity.images import image_load
    from kaowu.identity.photo_standards import photo_check
    from kaowu.identity.tests import imagery

    started = time.perf_counter()
    faces.models_load()
    load_seconds = time.perf_counter() - started

    pairs = []
    for name in ("hopper", "collins"):
        id_photo = image_load(imagery.jpeg(imagery.id_photo(name)), kind="id_photo")
        card = image_load(imagery.id_card_front_jpeg(name), kind="id_card_front")
        handheld = image_load(imagery.jpeg(imagery.handheld(name), quality=85), kind="handheld")
        pairs += [(f"{name}: 证件照 {id_photo.width}×{id_photo.height} ~ 人像面 {card.width}×{card.height}",
                   id_photo, card),
                  (f"{name}: 证件照 {id_photo.width}×{id_photo.height} ~ 手持 {handheld.width}×{handheld.height}",
                   id_photo, handheld)]

    # As in production: the photo check at upload finds each face, and the photo keeps its box;
    # the comparison (what is measured) reuses the boxes instead of detecting again.
    boxes = {}
    for _, first, second in pairs:
        for photo in (first, second):
            if id(photo) not in boxes:
                boxes[id(photo)] = photo_check(photo.image, kind=photo.kind).faces[0]

    def compare(first, second):
        return faces.faces_compare(first, second, boxes=[boxes[id(first)], boxes[id(second)]])

    for i in range(args.warmup):
        _, first, second = pairs[i % len(pairs)]
        compare(first, second)

    load_before = os.getloadavg()[0]
    timings: dict[str, list[float]] = {label: [] for label, _, _ in pairs}
    cpu_times: list[float] = []
    distances: dict[str, float] = {}
    for i in range(args.iterations):
        label, first, second = pairs[i % len(pairs)]
        started, cpu_started = time.perf_counter(), time.process_time()
        result = compare(first, second)  # landmarks + descriptor of both + distance
        timings[label].append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        distances[label] = result.distances[0]
        if not result.matched:
            print(f"unexpected: {label} did not match (distance {result.distances[0]:.3f})", file=sys.stderr)
            return 1

    # For the whole picture: the same pairs with detection repeated (no stored boxes).
    with_detection = []
    for i in range(2 if args.smoke else max(8, args.iterations // 4)):
        _, first, second = pairs[i % len(pairs)]
        started = time.perf_counter()
        faces.faces_compare(first, second)
        with_detection.append(time.perf_counter() - started)

    every = sorted(t for values in timings.values() for t in values)
    median = statistics.median(every)
    p95 = every[min(len(every) - 1, round(0.95 * (len(every) - 1)))]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    print(f"face comparison pair (landmarks + descriptor of both photos + distance; faces located at upload), "
          f"dlib {dlib.__version__}, {faces.model_version()}")
    print(f"threads: 1, affinity: {pinned}, model load: {load_seconds:.2f} s, "
          f"warm-up: {args.warmup} pairs, measured: {len(every)} pairs")
    for label, values in timings.items():
        if values:
            print(f"  {label:48s} median {statistics.median(values):.3f} s  distance {distances[label]:.3f}")
    verdict = "smoke run, no target" if args.smoke else "OK" if median <= args.target else "MISSED"
    print(f"median {median:.3f} s/pair   (target ≤ {args.target:.3f} s)   {verdict}")
    print(f"p95    {p95:.3f} s/pair")
    print(f"cpu    {statistics.median(cpu_times):.3f} s/pair median process CPU time (what the pair costs the core)")
    print(f"with detection repeated at comparison time: median {statistics.median(with_detection):.3f} s/pair "
          "(for reference; production detects once, at upload)")
    print(f"peak memory (maxrss) {peak_mb:.0f} MB")
    load_after = os.getloadavg()[0]
    if max(load_before, load_after) > (os.cpu_count() or 1) - 0.5:
        print(f"note: load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores: other processes "
              "shared the core, wall times are inflated; compare with the CPU time, or re-run on a quiet machine")
    return 0 if args.smoke or median <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
