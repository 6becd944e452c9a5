"""Derived test photos (see imagery.py) and the face models, made once per test session."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.identity import faces, images

from . import imagery

PEOPLE = ("hopper", "collins")


@pytest.fixture(scope="session")
def face_models():
    """Load dlib's models once for the whole session (≈ 0.5 s)."""
    faces.models_load()
    return faces


@pytest.fixture(scope="session")
def person_photos(face_models):
    """For each person, the versions a candidate would upload, as accepted by the intake:
    证件照 (blue, PNG), 证件照 (white, JPEG q30), 人像面 (greyscale card portrait, low-quality JPEG
    stored sideways with EXIF Orientation=6), 手持 (face small in a larger picture, card held up)."""
    photos = {}
    for name in PEOPLE:
        photos[name] = {
            "id_photo": images.image_load(imagery.png(imagery.id_photo(name)), kind="id_photo"),
            "id_photo_white_jpeg": images.image_load(
                imagery.jpeg(imagery.id_photo(name, background=imagery.ID_WHITE), quality=30), kind="id_photo"),
            "id_card_front": images.image_load(imagery.id_card_front_jpeg(name), kind="id_card_front"),
            "handheld": images.image_load(imagery.jpeg(imagery.handheld(name), quality=80), kind="handheld"),
        }
    return photos


@pytest.fixture(scope="session")
def person_encodings(person_photos):
    """Each person's photos encoded once: {name: {version: Encoding}}, plus the original portrait."""
    encodings = {}
    for name, versions in person_photos.items():
        encodings[name] = {version: faces.face_encoding(loaded) for version, loaded in versions.items()}
        encodings[name]["original"] = faces.face_encoding(imagery.original(name))
    return encodings


@pytest.fixture
def upload():
    """A Django upload whose name and content type say nothing true about its content."""

    def make(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
        return SimpleUploadedFile(name, data, content_type=content_type)

    return make
