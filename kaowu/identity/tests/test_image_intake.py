"""Upload intake: type by content, size, dimensions, pixel cap, corrupt files, EXIF."""

import io
import re
import time
import tracemalloc

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image, ImageCms

from kaowu.identity import images
from kaowu.identity.images import ImageRejected, image_load, image_open_stored

from . import imagery


def rejected(data, kind="id_photo") -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        image_load(data, kind=kind)
    return caught.value


def test_a_jpeg_named_gif_is_accepted_because_its_content_is_a_jpeg(upload):
    data = imagery.jpeg(imagery.id_photo("hopper"))
    loaded = image_load(upload(data, name="photo.gif", content_type="image/gif"), kind="id_photo")
    assert (loaded.format, loaded.width, loaded.height, loaded.image.mode) == ("JPEG", 358, 441, "RGB")


def test_a_png_is_accepted_from_bytes_and_from_a_file_object():
    data = imagery.png(imagery.id_photo("collins"))
    assert image_load(data, kind="id_photo").format == "PNG"
    assert image_load(io.BytesIO(data), kind="id_photo").size_bytes == len(data)


def test_a_text_file_named_jpg_is_refused_as_not_an_image(upload):
    error = rejected(upload(imagery.TEXT_NAMED_JPG, name="照片.jpg", content_type="image/jpeg"))
    assert error.reason_code == images.UNSUPPORTED_TYPE
    assert error.message == "证件照文件不是JPG或PNG图片，请重新拍照或选择照片上传"


@pytest.mark.parametrize("data", [imagery.gif_bytes(), imagery.PDF_BYTES], ids=["gif", "pdf"])
def test_gif_and_pdf_are_refused(upload, data):
    assert rejected(upload(data, name="photo.png", content_type="image/png")).reason_code == images.UNSUPPORTED_TYPE


def test_a_jpeg_signature_on_a_png_body_is_refused():
    data = imagery.png(imagery.id_photo("hopper"))
    assert rejected(images.JPEG_SIGNATURE + data[3:]).reason_code in (images.UNSUPPORTED_TYPE, images.CORRUPT)


def test_an_empty_file_is_refused(upload):
    error = rejected(upload(b""))
    assert error.reason_code == images.EMPTY_FILE
    assert "空" in error.message


def test_a_file_over_2_mb_is_refused_naming_the_limit_and_its_size(upload):
    data = imagery.oversized_png()
    assert len(data) > 2 * 1024 * 1024
    error = rejected(upload(data, name="big.png", content_type="image/png"))
    assert error.reason_code == images.TOO_LARGE
    match = re.fullmatch(r"证件照文件大小为(\d+\.\d+) MB，超过了2 MB的上限，请压缩或降低分辨率后重新上传", error.message)
    assert match and abs(float(match.group(1)) - len(data) / 1024 / 1024) < 0.01


def test_the_size_limit_comes_from_the_settings(settings):
    settings.KAOWU_UPLOAD_MAX_BYTES = 50 * 1024
    data = imagery.png(imagery.id_photo("hopper"))  # ≈ 200 kB
    error = rejected(data)
    assert error.reason_code == images.TOO_LARGE
    assert "超过了50 KB的上限" in error.message


def test_a_png_declaring_30000_by_30000_pixels_is_refused_without_decoding_it():
    data = imagery.png_declaring(30000, 30000, rows=4)
    assert len(data) < 2000
    tracemalloc.start()
    try:
        error = rejected(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason_code == images.TOO_MANY_PIXELS
    assert "像素过多" in error.message
    assert peak < 20 * 1024 * 1024  # 900 M pixels would be 900 MB


def test_a_real_decompression_bomb_over_the_pixel_cap_is_refused_before_decoding():
    data = imagery.png_declaring(8000, 6000)  # 48 M pixels of zeros in ≈ 50 kB
    assert len(data) < 200 * 1024
    started = time.perf_counter()
    assert rejected(data).reason_code == images.TOO_MANY_PIXELS
    assert time.perf_counter() - started < 0.5


def test_the_pixel_cap_comes_from_the_settings(settings):
    settings.KAOWU_IMAGE_MAX_PIXELS = 100_000
    assert rejected(imagery.png(imagery.id_photo("hopper"))).reason_code == images.TOO_MANY_PIXELS


def test_a_truncated_jpeg_is_refused():
    error = rejected(imagery.truncated_jpeg())
    assert error.reason_code == images.CORRUPT
    assert "损坏或不完整" in error.message


def test_a_png_with_a_broken_body_is_refused():
    data = imagery.png(imagery.id_photo("hopper"))
    assert rejected(data[:200] + b"\x00" * 500 + data[700:]).reason_code == images.CORRUPT


@pytest.mark.parametrize(("kind", "size"), [
    ("id_photo", (280, 413)),
    ("id_photo", (441, 358)),  # a 证件照 is upright
    ("id_card_front", (600, 380)),
    ("id_card_back", (639, 400)),
    ("handheld", (640, 400)),
])
def test_photos_below_the_minimum_dimensions_of_their_kind_are_refused(kind, size):
    error = rejected(imagery.jpeg(Image.new("RGB", size, (200, 200, 200))), kind=kind)
    assert error.reason_code == images.TOO_SMALL
    assert f"{size[0]}×{size[1]}" in error.message and "更高分辨率" in error.message


@pytest.mark.parametrize(("kind", "size"), [
    ("id_photo", (295, 413)),
    ("id_card_front", (640, 400)),
    ("id_card_back", (400, 640)),  # card photographed in portrait
    ("handheld", (480, 640)),
])
def test_photos_at_the_minimum_dimensions_are_accepted_in_either_orientation_where_allowed(kind, size):
    assert image_load(imagery.jpeg(Image.new("RGB", size, (200, 200, 200))), kind=kind).image.size == size


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        image_load(imagery.jpeg(imagery.id_photo("hopper")), kind="passport")


def test_exif_orientation_is_applied_and_all_metadata_stripped():
    data = imagery.id_card_front_jpeg("hopper")
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.size == (442, 700)  # lying on its side as the phone stored it
        assert stored.getexif()[0x0112] == 6 and stored.getexif()[0x010F] == "KaowuTestCamera"
    loaded = image_load(data, kind="id_card_front")
    assert loaded.image.size == (700, 442)
    assert not loaded.image.info and not loaded.image.getexif()
    saved = loaded.to_jpeg_bytes()
    with Image.open(io.BytesIO(saved)) as reopened:
        assert reopened.size == (700, 442)
        assert not reopened.getexif()
        assert "exif" not in reopened.info and "icc_profile" not in reopened.info
    assert b"Exif" not in saved[:2000] and b"KaowuTestCamera" not in saved


def test_the_upright_card_is_what_the_face_detector_sees(face_models):
    loaded = image_load(imagery.id_card_front_jpeg("hopper"), kind="id_card_front")
    assert len(face_models.faces_detect(loaded.image)) == 1


def test_an_icc_profile_and_comments_are_not_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = imagery.jpeg(imagery.id_photo("hopper"), icc_profile=profile, comment=b"GPS 36.06N 103.83E")
    saved = image_load(data, kind="id_photo").to_jpeg_bytes()
    with Image.open(io.BytesIO(saved)) as reopened:
        assert "icc_profile" not in reopened.info and "comment" not in reopened.info
    assert b"103.83E" not in saved


def test_a_transparent_png_is_flattened_onto_white():
    photo = imagery.id_photo("hopper").convert("RGBA")
    photo.putpixel((0, 0), (0, 0, 0, 0))
    loaded = image_load(imagery.png(photo), kind="id_photo")
    assert loaded.image.mode == "RGB"
    assert loaded.image.getpixel((0, 0)) == (255, 255, 255)


def test_a_16_bit_greyscale_png_is_scaled_not_clipped():
    grey = Image.new("I;16", (300, 420), 40000)
    loaded = image_load(imagery.png(grey), kind="id_photo")
    assert loaded.image.getpixel((10, 10)) == (156, 156, 156)  # 40000 / 256


def test_a_stored_photo_reopens_as_rgb():
    saved = image_load(imagery.png(imagery.id_photo("collins")), kind="id_photo").to_jpeg_bytes()
    reopened = image_open_stored(io.BytesIO(saved))
    assert (reopened.mode, reopened.size) == ("RGB", (358, 441))
    assert image_open_stored(saved).size == (358, 441)


def test_a_stored_photo_reopens_from_django_storage_and_its_file_is_closed_again(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    saved = image_load(imagery.id_card_front_jpeg("collins"), kind="id_card_front").to_jpeg_bytes()
    stored = storage.open(storage.save("photo.jpg", ContentFile(saved)))
    stored.close()
    assert image_open_stored(stored).size == (700, 442)
    assert stored.closed
