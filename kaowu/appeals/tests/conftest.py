import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kaowu.organization.models import Office, Region
from kaowu.testing.factories import CandidateFactory, OfficeFactory, StaffMemberFactory

from .mp4s import mp4_bytes


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def offices(gansu):
    return {
        "district": OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620102", name="城关区招生办",
                                  phone="0931-8888823", region=Region.objects.get(code="620102")),
        "other_district": OfficeFactory(kind=Office.Kind.DISTRICT_OFFICE, code="D620103", name="七里河区招生办",
                                        phone="0931-2333333", region=Region.objects.get(code="620103")),
    }


@pytest.fixture
def staff(offices):
    return {key: StaffMemberFactory(office=office) for key, office in offices.items()}


@pytest.fixture
def candidate(offices):
    return CandidateFactory(district=Region.objects.get(code="620102"))


def video_upload(content: bytes | None = None, name: str = "appeal.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else mp4_bytes(), content_type="video/mp4")
