"""Offline face detection and comparison with dlib (no network, no cloud service).

Models, all shipped by the `face-recognition-models` package and read from disk:
- detector: dlib's HOG frontal face detector (`dlib.get_frontal_face_detector()`), built into dlib;
- landmarks: `shape_predictor_5_face_landmarks.dat` (eye corners and nose), used to align the face;
- recogniser: `dlib_face_recognition_resnet_model_v1.dat`, a ResNet that maps an aligned 150×150
  face chip to a 128-d vector. Two photos show the same person when the Euclidean distance of
  their vectors is at most the threshold (settings.KAOWU_FACE_MATCH_THRESHOLD, 0.6 by default,
  the value dlib's author recommends; the model scores 99.38 % on the LFW benchmark with it).

Accuracy caveat — read before tuning the threshold. The model was trained on mostly Western
adult faces, and dlib's own notes say it may underperform on non-Caucasian faces (dlib issues
#480 and #2816, answered by its maintainers): on a small set of Chinese faces a user found that
at 0.6 nearly every pair of *different* people was judged the same person, and same-person pairs
reached 0.70. Expect both kinds of error with our candidates, especially between an old ID card
portrait and a phone photo. This module therefore only *proposes* a decision. The manual path —
the exam area or registration point reviews the photos side by side with the distances recorded
here — is a first-class path for every candidate, not a fallback for errors, and the threshold
must be re-calibrated on consented local data before the automatic decision is trusted alone.
Record `model_name`, `model_version`, every distance and the threshold of each attempt so a
decision can be explained and re-evaluated later.

Process model: the models (≈ 32 MB on disk, ≈ 100 MB in memory) are loaded once per process,
lazily, under a lock; every call into dlib runs under a second lock because dlib's network keeps
per-call state in its layers and is not safe to share between threads. On one core one encoding
takes ≈ 0.1 s (see bench/face_compare.py).

Image sizes: encoding works on a copy whose long side is at most `WORK_MAX_SIDE`, detection on a
greyscale copy whose long side is at most `DETECT_MAX_SIDE` (faces in identity photos are large;
the HOG detector finds faces of ≥ 80 px at the first pass and ≥ 40 px after upsampling once, which
it does only when the first pass found none).
"""

from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path

import dlib
import face_recognition_models
import numpy as np
from django.conf import settings
from PIL import Image

MODEL_NAME = "dlib_face_recognition_resnet_model_v1"
WORK_MAX_SIDE = 1280
DETECT_MAX_SIDE = 640


class FaceError(Exception):
    """A photo the comparison cannot use; `message` (Chinese) says what to do.

    `image_index` is the position of the photo in `faces_compare`'s arguments (0 = reference)."""

    code = "face_error"
    default_message = "照片无法进行人脸比对，请重新上传清晰的本人照片"

    def __init__(self, message: str | None = None, *, image_index: int | None = None):
        self.message = message or self.default_message
        self.image_index = image_index
        super().__init__(self.message)


class NoFaceFound(FaceError):
    code = "no_face"
    default_message = "未检测到人脸，请上传本人正面、免冠、五官清晰无遮挡的照片"


class MultipleFaces(FaceError):
    code = "multiple_faces"
    default_message = "检测到多张人脸，请上传只有本人一人的照片"


@dataclass(frozen=True)
class FaceBox:
    """A detected face in image pixels. dlib's box spans roughly eyebrows to chin and cheek to
    cheek; it may reach past the image's edges."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Encoding:
    """The 128-d descriptor of the largest face of a photo."""

    vector: tuple[float, ...] = field(repr=False)
    box: FaceBox
    face_count: int  # faces detected in the photo; the largest one was encoded
    upsampled: bool  # found only after upsampling (a small face)

    def distance(self, other: Encoding) -> float:
        return math.dist(self.vector, other.vector)


@dataclass(frozen=True)
class Comparison:
    """The reference photo against each other photo, in argument order."""

    distances: tuple[float, ...]
    threshold: float
    model_name: str
    model_version: str
    matched: bool  # every distance ≤ threshold
    encodings: tuple[Encoding, ...] = field(repr=False)  # reference first

    @property
    def pairs(self) -> list[tuple[int, float, bool]]:
        """(index of the other photo, starting at 1; distance; within the threshold)."""
        return [(i, d, d <= self.threshold) for i, d in enumerate(self.distances, start=1)]

    def as_record(self) -> dict:
        return {"distances": [round(d, 4) for d in self.distances], "threshold": self.threshold,
                "model_name": self.model_name, "model_version": self.model_version, "matched": self.matched}


@dataclass(frozen=True)
class _Models:
    detector: object
    shape_predictor: object
    recogniser: object
    version: str


_models: _Models | None = None
_load_lock = threading.Lock()
_run_lock = threading.Lock()


def _sha256_prefix(path: str, length: int = 12) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:length]


def _models_get() -> _Models:
    global _models
    if _models is None:
        with _load_lock:
            if _models is None:
                landmarks = face_recognition_models.pose_predictor_five_point_model_location()
                resnet = face_recognition_models.face_recognition_model_location()
                version = f"dlib {dlib.__version__}; resnet {_sha256_prefix(resnet)}; lm5 {_sha256_prefix(landmarks)}"
                _models = _Models(detector=dlib.get_frontal_face_detector(),
                                  shape_predictor=dlib.shape_predictor(landmarks),
                                  recogniser=dlib.face_recognition_model_v1(resnet),
                                  version=version)
    return _models


def models_load() -> None:
    """Load the models now (a worker's start-up, a warm-up) rather than on the first photo."""
    _models_get()


def model_version() -> str:
    """dlib's version and the sha256 prefixes of the model files, e.g.
    "dlib 20.0.1; resnet 55533b28a958; lm5 c4b1e9804792" (≤ 80 characters)."""
    return _models_get().version


def _as_rgb(image) -> Image.Image:
    image = getattr(image, "image", image)  # a LoadedImage
    if not isinstance(image, Image.Image):
        raise TypeError(f"expected a Pillow image, got {type(image).__name__}")
    return image if image.mode == "RGB" else image.convert("RGB")


def _downscaled(image: Image.Image, max_side: int) -> tuple[Image.Image, float]:
    scale = min(1.0, max_side / max(image.size))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0), scale


def _detect(models: _Models, image: Image.Image, *, upsample_if_none: bool) -> tuple[list[FaceBox], bool]:
    """Faces in `image` coordinates, largest first; call with _run_lock held."""
    small, scale = _downscaled(image, DETECT_MAX_SIDE)
    pixels = np.asarray(small.convert("L"))  # HOG on luma: same boxes, ≈ 30 % less time than on RGB
    rects, upsampled = models.detector(pixels, 0), False
    if not rects and upsample_if_none:
        rects, upsampled = models.detector(pixels, 1), True
    boxes = [FaceBox(round(r.left() / scale), round(r.top() / scale),
                     round((r.right() + 1) / scale), round((r.bottom() + 1) / scale)) for r in rects]
    boxes.sort(key=lambda box: box.area, reverse=True)
    return boxes, upsampled


def faces_detect(image, *, upsample_if_none: bool = True) -> list[FaceBox]:
    """Every frontal face in the photo, largest first (empty when there is none)."""
    models = _models_get()
    with _run_lock:
        boxes, _ = _detect(models, _as_rgb(image), upsample_if_none=upsample_if_none)
    return boxes


def face_encoding(image, *, single: bool = False, box: FaceBox | None = None) -> Encoding:
    """The descriptor of the largest face in a Pillow image (or LoadedImage).

    `box` is the face found when the photo was uploaded (photo_check already ran the detector then,
    and the box is kept with the photo): with it, detection is not repeated — the comparison costs
    the landmarks and the descriptor only. Without it the largest face is detected here.

    Raises NoFaceFound, or MultipleFaces when `single` and more than one face is found (a
    handheld photo legitimately shows two: the candidate and the card's portrait)."""
    models = _models_get()
    work, scale = _downscaled(_as_rgb(image), WORK_MAX_SIDE)
    with _run_lock:
        if box is not None:
            boxes, upsampled = [FaceBox(round(box.left * scale), round(box.top * scale),
                                        round(box.right * scale), round(box.bottom * scale))], False
        else:
            boxes, upsampled = _detect(models, work, upsample_if_none=True)
        if not boxes:
            raise NoFaceFound()
        if single and len(boxes) > 1:
            raise MultipleFaces()
        found = boxes[0]
        pixels = np.asarray(work)
        shape = models.shape_predictor(pixels, dlib.rectangle(found.left, found.top, found.right - 1, found.bottom - 1))
        vector = tuple(models.recogniser.compute_face_descriptor(pixels, shape))
    original = box or FaceBox(round(found.left / scale), round(found.top / scale), round(found.right / scale),
                              round(found.bottom / scale))
    return Encoding(vector=vector, box=original, face_count=len(boxes), upsampled=upsampled)


def faces_compare(reference, *others, threshold: float | None = None,
                  boxes: list[FaceBox | None] | None = None) -> Comparison:
    """Compare the reference photo's face with each other photo's face.

    Each argument is an `Encoding` or a Pillow image (or LoadedImage), encoded here with its
    largest face. `threshold` defaults to settings.KAOWU_FACE_MATCH_THRESHOLD. Raises
    NoFaceFound / MultipleFaces with `image_index` set (0 = the reference)."""
    if not others:
        raise ValueError("faces_compare needs at least one photo besides the reference")
    if threshold is None:
        threshold = float(settings.KAOWU_FACE_MATCH_THRESHOLD)
    if not 0 < threshold < 2:  # distances of unit-scale descriptors lie in [0, 2)
        raise ValueError(f"face match threshold {threshold} is outside (0, 2)")
    encodings = []
    for index, item in enumerate((reference, *others)):
        if isinstance(item, Encoding):
            encodings.append(item)
            continue
        try:
            encodings.append(face_encoding(item, box=boxes[index] if boxes else None))
        except FaceError as exc:
            exc.image_index = index
            raise
    distances = tuple(encodings[0].distance(other) for other in encodings[1:])
    return Comparison(distances=distances, threshold=threshold, model_name=MODEL_NAME,
                      model_version=model_version(), matched=all(d <= threshold for d in distances),
                      encodings=tuple(encodings))
