"""Photo standards (照片图像采集规范, seed 002) checked on an accepted upload.

`photo_check(image, kind=...)` measures the photo and returns a `PhotoReport` whose `results`
name every rule with its measured value and limit; `failures` are the rules that failed, each
with a Chinese message saying what is wrong and what to do. Rules by kind:

- 证件照 (id_photo): `face_count` (exactly one face), `face_size` (face share of the picture),
  `face_centred`, `face_margins`, `brightness` (face not too dark or washed out), `sharpness`,
  `background_plain` and `background_colour` (蓝底、白底、白灰底, seed 001);
- 身份证人像面 (id_card_front): `face_count` (exactly one: the card's portrait) and `brightness`;
- 手持身份证半身照 (handheld): `face_count` (at least one) and `brightness` of the largest face.
  The card held up shows a second, small face; the largest face is taken to be the candidate's
  and is the one the face comparison encodes (faces.face_encoding), so a photo where the card's
  portrait is larger than the candidate's face compares the wrong face and fails there;
- 身份证国徽面 (id_card_back): no face rule (format and size are checked at intake).

When the face count is wrong, the rules that need the one face are not evaluated (they are left
out of `results`): the candidate is told about the face first. Likewise the background rules are
left out when the head leaves less than 2 % of the picture to sample (face_size and face_margins
fail then).

Measures. dlib's face box spans roughly eyebrows to chin: in a standard 证件照 (the 二代身份证
photo is 358×441 with the head, hair to chin, about 2/3 of the height) it is ≈ 0.4 of the height.
Luminance is ITU-R 601 luma (Pillow's "L"). Sharpness is the variance of the 4-neighbour Laplacian
of the face box resampled to `FACE_SAMPLE`×`FACE_SAMPLE` px, divided by the variance of its luma:
it depends neither on the photo's resolution nor on its exposure (a dark photo is "too dark", not
also "blurred"). The background is sampled beside and above the head, down to the chin, outside the
face box widened by `HEAD_SIDE` face widths each side and raised by `HEAD_TOP` face heights
(room for hair); see `THRESHOLDS` for the limits and the values they were calibrated on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from . import faces

# Every threshold in one place. Calibrated with kaowu/identity/tests/imagery.py's derived photos
# (measured values in the comments: good ID photos of both test people vs. the bad variants).
THRESHOLDS = {
    # face box height / image height: good 证件照 0.41 (the 二代证 layout); far-away variant 0.14;
    # tight crops 0.71 (Hopper) and 0.85 (Collins).
    "face_share_min": 0.25,
    "face_share_max": 0.60,
    # |face centre x − image centre x| / image width: good 0.01; off-centre variant 0.21.
    "centre_offset_max": 0.12,
    # free space between the face box and each edge, share of the image width (left/right) or
    # height (top: room for hair; bottom: chin, neck). Good 证件照: sides 0.24–0.26, top 0.26,
    # bottom 0.33; off-centre variant: left 0.04; tight crops < 0.
    "margin_side_min": 0.05,
    "margin_top_min": 0.10,
    "margin_bottom_min": 0.10,
    # mean luma of the face box: good photos 131–173 (cards 128–166); brightness × 0.2: 26–34;
    # Collins's white-background photo × 1.8: 241 (× 2.2 washes the face out past detection).
    "face_luma_min": 60.0,
    "face_luma_max": 235.0,
    # variance of the Laplacian / variance of the luma, face at 128×128 px (so neither resolution
    # nor exposure moves it): good 证件照 0.09 (Collins, whose face is 87 px in the original) to
    # 0.46 (Hopper); ID-card and JPEG-q20 versions 0.08–0.43; GaussianBlur(2) 0.013–0.025,
    # GaussianBlur(4) 0.004–0.005; brightness × 0.2 leaves it unchanged (0.13–0.49).
    "sharpness_min": 0.02,
    # background: share of sampled pixels within `background_tolerance` (RGB distance) of the
    # median colour. Plain backgrounds 1.0; Hopper's original (flag, sky) 0.10. Collins's original
    # mottled light-grey studio backdrop measures 0.83 and passes: it is a light grey background.
    "background_plain_min": 0.80,
    "background_tolerance": 40.0,
    # background colour (median of the sample): white / light grey = luma ≥ 150 and channel
    # spread ≤ 48; blue = blue ≥ 140, blue − red ≥ 50, blue ≥ green and luma ≥ 80 (ID blue
    # (67,142,219) has luma 128; navy, black, red, green and dark grey fail).
    "background_light_luma_min": 150.0,
    "background_neutral_spread_max": 48.0,
    "background_blue_min": 140.0,
    "background_blue_over_red_min": 50.0,
    "background_blue_luma_min": 80.0,
}
FACE_SAMPLE = 128
HEAD_SIDE = 0.35
HEAD_TOP = 0.6
ANALYSIS_MAX_SIDE = 640  # measures run on a copy no larger than this

ID_PHOTO = "id_photo"
ID_CARD_FRONT = "id_card_front"
ID_CARD_BACK = "id_card_back"
HANDHELD = "handheld"
_LABELS = {ID_PHOTO: "证件照", ID_CARD_FRONT: "身份证人像面", ID_CARD_BACK: "身份证国徽面", HANDHELD: "手持身份证半身照"}


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    message: str  # what is wrong and what to do; empty when passed
    measured: float | None = None
    limit: str = ""  # the rule's limit, readable ("0.25–0.60", "≥ 60")


@dataclass(frozen=True)
class PhotoReport:
    kind: str
    results: list[RuleResult]
    faces: list[faces.FaceBox] = field(default_factory=list)  # largest first, in image pixels

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results)

    @property
    def failures(self) -> list[RuleResult]:
        return [result for result in self.results if not result.passed]

    @property
    def failed_codes(self) -> list[str]:
        return [result.code for result in self.failures]

    @property
    def messages(self) -> list[str]:
        return [result.message for result in self.failures]

    def result(self, code: str) -> RuleResult | None:
        return next((result for result in self.results if result.code == code), None)


def _rule(code: str, passed: bool, message: str, measured: float | None, limit: str) -> RuleResult:
    return RuleResult(code=code, passed=passed, message="" if passed else message,
                      measured=None if measured is None else round(float(measured), 4), limit=limit)


def _luma(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"), dtype=np.float64)


def _face_crop(image: Image.Image, box: faces.FaceBox) -> Image.Image:
    clipped = (max(0, box.left), max(0, box.top), min(image.width, box.right), min(image.height, box.bottom))
    return image.crop(clipped)


def face_luma(image: Image.Image, box: faces.FaceBox) -> float:
    return float(_luma(_face_crop(image, box)).mean())


def face_sharpness(image: Image.Image, box: faces.FaceBox) -> float:
    """var(Laplacian) / var(luma) of the face resampled to FACE_SAMPLE² px (higher = sharper)."""
    face = _face_crop(image, box).resize((FACE_SAMPLE, FACE_SAMPLE), Image.Resampling.BILINEAR)
    y = _luma(face)
    laplacian = y[:-2, 1:-1] + y[2:, 1:-1] + y[1:-1, :-2] + y[1:-1, 2:] - 4 * y[1:-1, 1:-1]
    contrast = y.var()
    return float(laplacian.var() / contrast) if contrast > 1e-6 else 0.0


def background_sample(image: Image.Image, box: faces.FaceBox) -> np.ndarray:
    """RGB pixels (N×3) beside and above the head, down to the chin."""
    pixels = np.asarray(image, dtype=np.float64)
    height, width = pixels.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width]
    head_left = box.left - HEAD_SIDE * box.width
    head_right = box.right + HEAD_SIDE * box.width
    head_top = box.top - HEAD_TOP * box.height
    above_chin = ys < min(box.bottom, height)
    outside_head = (xs < head_left) | (xs >= head_right) | (ys < head_top)
    return pixels[above_chin & outside_head]


def _background_colour_ok(median: np.ndarray) -> bool:
    t = THRESHOLDS
    red, green, blue = (float(v) for v in median)
    luma = 0.299 * red + 0.587 * green + 0.114 * blue
    light_neutral = luma >= t["background_light_luma_min"] and \
        max(red, green, blue) - min(red, green, blue) <= t["background_neutral_spread_max"]
    blue_ok = blue >= t["background_blue_min"] and blue - red >= t["background_blue_over_red_min"] and \
        blue >= green and luma >= t["background_blue_luma_min"]
    return light_neutral or blue_ok


def _face_count_rule(kind: str, count: int) -> RuleResult:
    label = _LABELS[kind]
    if kind == HANDHELD:
        return _rule("face_count", count >= 1, f"{label}中未检测到人脸，请本人手持身份证、正对镜头、露出完整面部后重新拍照",
                     count, "≥ 1")
    if count == 0:
        if kind == ID_CARD_FRONT:
            message = "身份证人像面中未检测到人像，请将身份证人像面平放、完整拍摄，避免反光和遮挡后重新上传"
        else:
            message = f"{label}中未检测到人脸，请上传本人正面免冠、五官清晰无遮挡的照片"
    else:
        message = f"{label}中检测到{count}张人脸，请上传只有本人一人的照片"
    return _rule("face_count", count == 1, message, count, "= 1")


def _brightness_rule(kind: str, image: Image.Image, box: faces.FaceBox) -> RuleResult:
    t = THRESHOLDS
    luma = face_luma(image, box)
    if luma < t["face_luma_min"]:
        message = f"{_LABELS[kind]}中人脸太暗，请在光线充足、均匀的地方重新拍照"
    else:
        message = f"{_LABELS[kind]}中人脸过亮（曝光过度），请避开强光直射后重新拍照"
    return _rule("brightness", t["face_luma_min"] <= luma <= t["face_luma_max"], message, luma,
                 f"{t['face_luma_min']:g}–{t['face_luma_max']:g}")


def photo_check(image, *, kind: str = ID_PHOTO) -> PhotoReport:
    """Check the photo standards of one kind of photo (a Pillow image or a LoadedImage)."""
    if kind not in _LABELS:
        raise ValueError(f"unknown photo kind {kind!r}")
    image = getattr(image, "image", image)
    if kind == ID_CARD_BACK:
        return PhotoReport(kind=kind, results=[])
    image = image if image.mode == "RGB" else image.convert("RGB")
    scale = min(1.0, ANALYSIS_MAX_SIDE / max(image.size))
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.BILINEAR)
    boxes = faces.faces_detect(image)
    in_original = [faces.FaceBox(round(b.left / scale), round(b.top / scale), round(b.right / scale),
                                 round(b.bottom / scale)) for b in boxes]
    results = [_face_count_rule(kind, len(boxes))]
    if not results[0].passed:
        return PhotoReport(kind=kind, results=results, faces=in_original)
    box = boxes[0]
    if kind != ID_PHOTO:
        results.append(_brightness_rule(kind, image, box))
        return PhotoReport(kind=kind, results=results, faces=in_original)

    t = THRESHOLDS
    width, height = image.size
    share = box.height / height
    too_small = share < t["face_share_min"]
    results.append(_rule(
        "face_size", not too_small and share <= t["face_share_max"],
        "人脸在照片中占比太小，请靠近镜头或裁剪照片，使头部约占照片高度的三分之二" if too_small else
        "人脸在照片中占比太大，请离镜头远一些或放大裁剪框，头顶、两耳和下巴外都要留出空白",
        share, f"{t['face_share_min']:g}–{t['face_share_max']:g}"))

    offset = abs(box.centre[0] - width / 2) / width
    results.append(_rule("face_centred", offset <= t["centre_offset_max"],
                         "人脸没有居于照片中间，请拖动裁剪框或重新拍照，使人脸位于照片正中",
                         offset, f"≤ {t['centre_offset_max']:g}"))

    margins = {"left": box.left / width, "right": (width - box.right) / width,
               "top": box.top / height, "bottom": (height - box.bottom) / height}
    limits = {"left": t["margin_side_min"], "right": t["margin_side_min"], "top": t["margin_top_min"],
              "bottom": t["margin_bottom_min"]}
    tight = [side for side in margins if margins[side] < limits[side]]
    sides = {"left": "左", "right": "右", "top": "上", "bottom": "下"}
    results.append(_rule("face_margins", not tight,
                         f"人脸距照片{'、'.join(sides[s] for s in tight)}边缘太近，请上下左右预留距离后重新拍照或裁剪",
                         min(margins[s] - limits[s] for s in margins),
                         f"左右 ≥ {t['margin_side_min']:g}，上 ≥ {t['margin_top_min']:g}，下 ≥ {t['margin_bottom_min']:g}"))

    results.append(_brightness_rule(kind, image, box))

    sharpness = face_sharpness(image, box)
    results.append(_rule("sharpness", sharpness >= t["sharpness_min"],
                         "照片模糊，请对准焦距、保持手机稳定后重新拍照", sharpness, f"≥ {t['sharpness_min']:g}"))

    sample = background_sample(image, box)
    if len(sample) >= 0.02 * width * height:  # else the head fills the frame: face_size/margins say so
        median = np.median(sample, axis=0)
        plain = float((np.linalg.norm(sample - median, axis=1) <= t["background_tolerance"]).mean())
        results.append(_rule("background_plain", plain >= t["background_plain_min"],
                             "照片背景不是纯色，请在无图案、无杂物的纯色背景前重新拍照", plain,
                             f"≥ {t['background_plain_min']:g}"))
        results.append(_rule("background_colour", _background_colour_ok(median),
                             "照片背景颜色不符合要求，请使用蓝色、白色或浅灰色的浅色背景重新拍照",
                             None, "蓝底、白底或浅灰底"))
    return PhotoReport(kind=kind, results=results, faces=in_original)
