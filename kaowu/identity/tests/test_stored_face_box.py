"""The comparison reuses the face found at upload: same distance as detecting again."""

import pytest

from kaowu.identity import faces
from kaowu.identity.images import image_load
from kaowu.identity.photo_standards import photo_check

from . import imagery


@pytest.fixture(scope="module")
def collins_pair():
    return (image_load(imagery.jpeg(imagery.id_photo("collins")), kind="id_photo"),
            image_load(imagery.jpeg(imagery.handheld("collins")), kind="handheld"))


def test_a_comparison_with_the_upload_boxes_gives_the_same_distance(collins_pair):
    first, second = collins_pair
    boxes = [photo_check(p.image, kind=p.kind).faces[0] for p in collins_pair]
    detected = faces.faces_compare(first, second)
    reused = faces.faces_compare(first, second, boxes=boxes)
    assert reused.matched and reused.distances[0] == pytest.approx(detected.distances[0], abs=1e-6)


def test_a_wrong_box_does_not_find_the_same_person(collins_pair):
    first, second = collins_pair
    corner = faces.FaceBox(0, 0, 80, 80)  # no face there: the descriptor of a background patch
    result = faces.faces_compare(first, second, boxes=[photo_check(first.image).faces[0], corner])
    assert not result.matched
