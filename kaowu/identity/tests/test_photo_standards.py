"""照片图像采集规范: every failed rule is named, with a message saying what to do."""

import pytest
from PIL import ImageEnhance

from kaowu.identity.images import image_load
from kaowu.identity.photo_standards import THRESHOLDS, photo_check

from . import imagery

pytestmark = pytest.mark.usefixtures("face_models")


def failed(image, kind="id_photo") -> dict:
    report = photo_check(image, kind=kind)
    assert all(rule.message for rule in report.failures)
    return {rule.code: rule for rule in report.failures}


@pytest.mark.parametrize("name", ["hopper", "collins"])
@pytest.mark.parametrize("background", [imagery.ID_BLUE, imagery.ID_WHITE, (205, 205, 205)],
                         ids=["blue", "white", "light-grey"])
def test_a_centred_id_photo_on_a_plain_blue_white_or_light_grey_background_passes(name, background):
    report = photo_check(imagery.id_photo(name, background=background))
    assert report.passed, report.failures
    assert [rule.code for rule in report.results] == [
        "face_count", "face_size", "face_centred", "face_margins", "brightness", "sharpness",
        "background_plain", "background_colour"]
    assert THRESHOLDS["face_share_min"] < report.result("face_size").measured < THRESHOLDS["face_share_max"]


def test_an_uploaded_low_quality_jpeg_id_photo_passes():
    loaded = image_load(imagery.jpeg(imagery.id_photo("hopper", background=imagery.ID_WHITE), quality=30),
                        kind="id_photo")
    assert photo_check(loaded, kind="id_photo").passed


def test_a_photo_without_a_face_is_refused_with_that_reason_only():
    report = photo_check(imagery.gradient())
    assert report.failed_codes == ["face_count"]
    assert report.failures[0].measured == 0
    assert report.failures[0].message.startswith("证件照中未检测到人脸")


def test_a_photo_with_two_faces_is_refused_with_that_reason():
    report = photo_check(imagery.two_faces())
    assert report.failed_codes == ["face_count"]
    assert report.failures[0].message == "证件照中检测到2张人脸，请上传只有本人一人的照片"
    assert len(report.faces) == 2


def test_a_face_too_small_a_share_of_the_picture_is_refused():
    rules = failed(imagery.face_too_small())
    assert list(rules) == ["face_size"]
    assert rules["face_size"].measured < 0.2
    assert "占比太小" in rules["face_size"].message


@pytest.mark.parametrize("name", ["hopper", "collins"])
def test_a_tight_crop_whose_face_fills_the_picture_is_refused(name):
    rules = failed(imagery.face_too_large(name))
    assert {"face_size", "face_margins"} <= set(rules)
    assert "占比太大" in rules["face_size"].message


def test_a_face_off_centre_is_refused_and_the_near_edge_named():
    rules = failed(imagery.off_centre())
    assert set(rules) == {"face_centred", "face_margins"}
    assert rules["face_centred"].measured > THRESHOLDS["centre_offset_max"]
    assert "左边缘太近" in rules["face_margins"].message


def test_a_dark_photo_is_refused_as_too_dark_not_as_blurred():
    rules = failed(imagery.dark())
    assert "brightness" in rules and "sharpness" not in rules
    assert "太暗" in rules["brightness"].message
    assert rules["brightness"].measured < THRESHOLDS["face_luma_min"]


def test_an_overexposed_photo_is_refused():
    washed_out = ImageEnhance.Brightness(imagery.id_photo("collins", background=imagery.ID_WHITE)).enhance(1.8)
    rules = failed(washed_out)
    assert "过亮" in rules["brightness"].message


@pytest.mark.parametrize("name", ["hopper", "collins"])
def test_a_blurred_photo_is_refused(name):
    rules = failed(imagery.blurred(name, radius=4))
    assert list(rules) == ["sharpness"]
    assert "模糊" in rules["sharpness"].message


def test_a_dark_background_is_refused_for_its_colour():
    rules = failed(imagery.dark_background())
    assert list(rules) == ["background_colour"]
    assert "蓝色、白色或浅灰色" in rules["background_colour"].message


@pytest.mark.parametrize("colour", [(190, 40, 40), (40, 150, 60), (20, 30, 90)], ids=["red", "green", "navy"])
def test_backgrounds_other_than_blue_white_or_light_grey_are_refused(colour):
    assert "background_colour" in failed(imagery.id_photo("hopper", background=colour))


def test_a_cluttered_background_is_refused_as_not_plain():
    rules = failed(imagery.cluttered_background("hopper"))
    assert "background_plain" in rules
    assert rules["background_plain"].measured < THRESHOLDS["background_plain_min"]
    assert "纯色" in rules["background_plain"].message


def test_several_problems_are_all_named():
    dark_blurred_off_centre = ImageEnhance.Brightness(imagery.off_centre()).enhance(0.2)
    assert {"face_centred", "face_margins", "brightness", "background_colour"} <= set(failed(dark_blurred_off_centre))


def test_the_id_card_portrait_side_needs_exactly_one_face_and_light():
    assert photo_check(imagery.id_card_front("collins"), kind="id_card_front").passed
    report = photo_check(imagery.back_of_card(), kind="id_card_front")
    assert report.failed_codes == ["face_count"]
    assert report.failures[0].message.startswith("身份证人像面中未检测到人像")
    dark_card = ImageEnhance.Brightness(imagery.id_card_front("hopper")).enhance(0.2)
    assert photo_check(dark_card, kind="id_card_front").failed_codes == ["brightness"]


def test_the_id_card_emblem_side_has_no_face_rule():
    report = photo_check(imagery.back_of_card(), kind="id_card_back")
    assert report.passed and report.results == []


def test_a_handheld_photo_may_show_the_cards_portrait_too_and_the_candidates_face_is_the_largest():
    report = photo_check(imagery.handheld("hopper", card_width=480), kind="handheld")
    assert report.passed
    assert len(report.faces) == 2
    person, card = report.faces
    assert person.height > card.height and person.centre[0] < card.centre[0]


def test_a_handheld_photo_without_a_face_is_refused():
    report = photo_check(imagery.gradient((1024, 768)), kind="handheld")
    assert report.failed_codes == ["face_count"]
    assert "手持身份证" in report.failures[0].message


def test_a_large_phone_photo_is_measured_on_a_smaller_copy_and_boxes_are_in_its_pixels():
    big = imagery.id_photo("hopper", size=(1432, 1764))
    report = photo_check(big)
    assert report.passed
    assert report.faces[0].height > 600  # in the 1432×1764 photo's pixels
