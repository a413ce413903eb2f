"""R18 materials: checked by content, stored privately, thumbnails for photos, and nothing left
behind by an upload that fails half way."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from reviews import services
from reviews.models import ApplicationMaterial, MaterialKind
from tests.factories.accounts import UnionUserFactory
from tests.factories.reviews import ApplicationFactory, pdf_upload, png_bytes, png_upload
from tests.factories.studios import PDF_BYTES, EligibleStudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    union = UnionUserFactory()
    application = ApplicationFactory(studio=EligibleStudioFactory(enterprise=union.enterprise))
    return union, application


def stored_files(root="reviews") -> list[str]:
    found = []

    def walk(path):
        dirs, files = default_storage.listdir(path)
        found.extend(f"{path}/{f}" for f in files)
        for d in dirs:
            walk(f"{path}/{d}")

    if default_storage.exists(root):
        walk(root)
    return found


def test_r18_photo_is_stored_privately_with_a_thumbnail(setting):
    union, application = setting
    material = services.add_material(union, application, MaterialKind.PHOTOS, png_upload())
    assert material.original_name == "photo.png" and material.content_type == "image/png"
    assert material.thumbnail and material.thumbnail.name.endswith(".jpg")
    assert "photo" not in material.file.name  # stored under a random name
    assert len(stored_files()) == 2


def test_r18_pdf_named_as_a_photo_is_refused(setting):
    union, application = setting
    fake = SimpleUploadedFile("photo.jpg", PDF_BYTES, "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.add_material(union, application, MaterialKind.PHOTOS, fake)
    assert refused.value.code == "R18"
    assert not ApplicationMaterial.objects.exists() and stored_files() == []


def test_r18_executable_named_pdf_is_refused(setting):
    union, application = setting
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00\x03 executable", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.add_material(union, application, MaterialKind.APPLICATION_FORM, fake)
    assert refused.value.code == "R18"
    assert not ApplicationMaterial.objects.exists()


def test_a_photo_is_not_accepted_as_a_video(setting):
    union, application = setting
    with pytest.raises(ValidationError) as refused:
        services.add_material(union, application, MaterialKind.VIDEOS, png_upload("clip.png"))
    assert refused.value.code == "R18"


def test_upload_failing_half_way_leaves_no_file_and_no_row(setting):
    union, application = setting
    kept = services.add_material(union, application, MaterialKind.APPLICATION_FORM, pdf_upload())
    with (
        mock.patch("reviews.services.record_event", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.add_material(
            union, application, MaterialKind.PHOTOS, SimpleUploadedFile("p.png", png_bytes())
        )
    assert list(ApplicationMaterial.objects.all()) == [kept]
    assert stored_files() == [kept.file.name]


def test_removing_a_material_deletes_its_files(setting, django_capture_on_commit_callbacks):
    union, application = setting
    material = services.add_material(union, application, MaterialKind.PHOTOS, png_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_material(union, material)
    assert not ApplicationMaterial.objects.exists() and stored_files() == []
