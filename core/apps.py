from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from PIL import Image

        from . import limits

        # Pillow's own decompression-bomb guard (a warning past the limit, an error past twice
        # it) for any image opened anywhere; uploads are checked against it before decoding.
        Image.MAX_IMAGE_PIXELS = limits.PHOTO_MAX_PIXELS
