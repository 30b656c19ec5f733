"""Files for upload tests, made on the spot."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825


def jpeg_with_gps(name: str = "foto.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x0110] = "Demo Phone X1"  # camera model
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "S", 2: (6.0, 2.0, 31.0), 3: "E", 4: (106.0, 3.0, 12.0)})  # Cilegon
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name: str = "surat.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
