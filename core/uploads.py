"""Size limits enforced while an upload streams in, not after it has arrived.

``LimitedUploadHandler`` runs first in ``FILE_UPLOAD_HANDLERS``. A request larger than any
accepted file is refused before its body is read. A file that grows past the largest size its
name's extension allows is no longer stored: the handler keeps only its name and where it was
cut, and ``core.files.validate_upload`` refuses it with a message citing the limit, so the user
sees the form again with the reason beside the file field and nothing is kept.
"""

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from . import limits


class StoppedUpload(UploadedFile):
    """What is left of a file that was cut while streaming in: a name and no content."""

    def __init__(self, name, content_type, stopped_at_bytes, charset=None):
        from io import BytesIO

        super().__init__(BytesIO(b""), name, content_type, stopped_at_bytes, charset)
        self.stopped_at_bytes = stopped_at_bytes


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > limits.UPLOAD_REQUEST_MAX_BYTES:
            raise RequestDataTooBig(
                f"Upload of {content_length} bytes exceeds {limits.UPLOAD_REQUEST_MAX_BYTES}."
            )
        return None  # let the normal parser and the other handlers do the work

    def new_file(self, field_name, file_name, *args, **kwargs):
        from .files import max_bytes_for_name

        super().new_file(field_name, file_name, *args, **kwargs)
        self.max_bytes = max_bytes_for_name(file_name)
        self.stopped = False

    def receive_data_chunk(self, raw_data, start):
        if self.stopped:
            return None  # the handlers after this one never see the rest
        if start + len(raw_data) > self.max_bytes:
            self.stopped = True
            return None
        return raw_data

    def file_complete(self, file_size):
        if self.stopped:
            # Returning a file here stops the handlers after this one from returning theirs.
            return StoppedUpload(self.file_name, self.content_type, self.max_bytes + 1)
        return None
