import io
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reviews.models import Application, ApplicationMaterial, Call, CallMaterial, MaterialKind
from tests.factories.studios import PDF_BYTES, EligibleStudioFactory


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_upload(name="form.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def png_upload(name="photo.png"):
    return SimpleUploadedFile(name, png_bytes(), "image/png")


class CallFactory(factory.django.DjangoModelFactory):
    """An open, published call closing in three weeks, requiring the application form."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    year = factory.Sequence(lambda n: 2100 + n)
    title = factory.LazyAttribute(lambda c: f"{c.year}年度职工创新工作室评选")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def required(obj, create, extracted, **kwargs):
        if not create:
            return
        kinds = [MaterialKind.APPLICATION_FORM] if extracted is None else extracted
        for kind in kinds:
            CallMaterial.objects.create(call=obj, kind=kind, required=True)
        CallMaterial.objects.get_or_create(
            call=obj, kind=MaterialKind.PHOTOS, defaults={"required": False}
        )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    studio = factory.SubFactory(EligibleStudioFactory)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationMaterial

    application = factory.SubFactory(ApplicationFactory)
    kind = MaterialKind.APPLICATION_FORM
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="form.pdf"))
    original_name = "申报表.pdf"
    size = len(PDF_BYTES)
    content_type = "application/pdf"
