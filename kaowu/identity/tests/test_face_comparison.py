"""Offline face comparison: the same person matches across derived versions, two people do not."""

import itertools
import threading

import dlib
import pytest

from kaowu.identity import faces
from kaowu.identity.faces import (
    MODEL_NAME,
    Encoding,
    MultipleFaces,
    NoFaceFound,
    face_encoding,
    faces_compare,
)

from . import imagery

VERSIONS = ("original", "id_photo", "id_photo_white_jpeg", "id_card_front", "handheld")


@pytest.mark.parametrize("name", ["hopper", "collins"])
@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(VERSIONS, 2)))
def test_the_same_person_matches_across_derived_versions(person_encodings, name, first, second):
    distance = person_encodings[name][first].distance(person_encodings[name][second])
    assert distance <= 0.6, f"{name}: {first} ~ {second} = {distance:.3f}"


@pytest.mark.parametrize(("first", "second"), list(itertools.product(VERSIONS, VERSIONS)))
def test_two_different_people_do_not_match(person_encodings, first, second):
    distance = person_encodings["hopper"][first].distance(person_encodings["collins"][second])
    assert distance > 0.6, f"hopper {first} ~ collins {second} = {distance:.3f}"


def test_three_photos_of_one_person_pass_with_every_distance_recorded(person_photos, settings):
    photos = person_photos["collins"]
    result = faces_compare(photos["id_photo"], photos["id_card_front"], photos["handheld"])
    assert result.matched
    assert len(result.distances) == 2 and all(0 <= d <= 0.6 for d in result.distances)
    assert result.threshold == settings.KAOWU_FACE_MATCH_THRESHOLD == 0.6
    assert result.model_name == MODEL_NAME == "dlib_face_recognition_resnet_model_v1"
    assert result.model_version.startswith(f"dlib {dlib.__version__}; resnet ")
    assert len(result.model_version) <= 80
    assert result.as_record()["distances"] == [round(d, 4) for d in result.distances]
    assert [(i, ok) for i, _, ok in result.pairs] == [(1, True), (2, True)]


def test_one_photo_of_someone_else_fails_the_whole_comparison(person_photos, person_encodings):
    own = person_photos["hopper"]
    result = faces_compare(own["id_photo"], own["id_card_front"], person_encodings["collins"]["handheld"])
    assert not result.matched
    assert result.distances[0] <= 0.6 < result.distances[1]
    assert [ok for _, _, ok in result.pairs] == [True, False]


def test_the_threshold_comes_from_the_settings_unless_given(person_encodings, settings):
    hopper = person_encodings["hopper"]
    settings.KAOWU_FACE_MATCH_THRESHOLD = 0.05
    strict = faces_compare(hopper["id_photo"], hopper["id_card_front"])
    assert strict.threshold == 0.05 and not strict.matched
    assert faces_compare(hopper["id_photo"], hopper["id_card_front"], threshold=0.6).matched


def test_encodings_are_not_recomputed(person_encodings, monkeypatch):
    monkeypatch.setattr(faces, "face_encoding", lambda *args, **kwargs: pytest.fail("re-encoded"))
    hopper = person_encodings["hopper"]
    assert faces_compare(hopper["id_photo"], hopper["handheld"]).matched


def test_a_photo_without_a_face_raises_no_face_found_naming_which_photo(person_photos):
    with pytest.raises(NoFaceFound) as caught:
        faces_compare(person_photos["hopper"]["id_photo"], imagery.back_of_card())
    assert caught.value.image_index == 1
    assert caught.value.code == "no_face"
    assert caught.value.message.startswith("未检测到人脸")


def test_two_faces_raise_multiple_faces_when_one_is_required(face_models):
    with pytest.raises(MultipleFaces) as caught:
        face_encoding(imagery.two_faces(), single=True)
    assert caught.value.code == "multiple_faces"
    assert "多张人脸" in caught.value.message


def test_a_handheld_photo_encodes_the_candidates_face_not_the_cards(person_encodings):
    encoding = face_encoding(imagery.handheld("collins", card_width=480))
    assert encoding.face_count == 2
    assert encoding.box.height > 150  # the person's face, not the card's ≈ 117 px portrait
    assert encoding.distance(person_encodings["collins"]["id_photo"]) <= 0.6


def test_a_small_face_is_found_by_upsampling_once(face_models):
    far_away = imagery.handheld("hopper").resize((330, 248))  # face ≈ 54 px: the first pass needs ≈ 80
    encoding = face_encoding(far_away)
    assert encoding.upsampled and encoding.face_count == 1
    assert 40 < encoding.box.height < 80


def test_bad_arguments_are_programming_errors(person_encodings):
    reference = person_encodings["hopper"]["id_photo"]
    with pytest.raises(ValueError):
        faces_compare(reference)
    with pytest.raises(ValueError):
        faces_compare(reference, reference, threshold=0)
    with pytest.raises(TypeError):
        face_encoding(b"not an image")


def test_the_models_load_once_even_when_threads_race_for_them(monkeypatch):
    loads = []
    real = dlib.face_recognition_model_v1

    def counting(path):
        loads.append(path)
        return real(path)

    monkeypatch.setattr(faces, "_models", None)
    monkeypatch.setattr(dlib, "face_recognition_model_v1", counting)
    barrier = threading.Barrier(4)
    seen = []

    def load():
        barrier.wait()
        seen.append(faces._models_get())

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1
    assert len({id(models) for models in seen}) == 1


def test_concurrent_encodings_give_the_same_vectors(person_photos, person_encodings):
    photos = [person_photos[name]["id_card_front"] for name in ("hopper", "collins")] * 2
    results: list[Encoding | None] = [None] * len(photos)

    def encode(index):
        results[index] = face_encoding(photos[index])

    threads = [threading.Thread(target=encode, args=(i,)) for i in range(len(photos))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = [person_encodings[name]["id_card_front"].vector for name in ("hopper", "collins")] * 2
    assert [result.vector for result in results] == expected
