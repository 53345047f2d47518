"""Media on S3-compatible object storage: with S3_* set, a product picture uploaded in
the back office and a vitrine image uploaded in the Wagtail admin land in the bucket,
and their public URLs (and those of their thumbnails) serve them. The S3 server is
moto's, started by the test on a free port; no cloud involved."""
import io
import json
import re
import subprocess
import sys

import boto3
import pytest
import requests
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from tests.integration.backoffice.test_products import product_data
from tests.integration.test_production_start import ROOT, free_port, production_env
from tests.support.images import photo

pytestmark = pytest.mark.django_db
CREDENTIALS = {"S3_ACCESS_KEY_ID": "cle-de-test", "S3_SECRET_ACCESS_KEY": "secret-de-test", "S3_REGION": "eu-west-3"}


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3", aws_access_key_id="cle-de-test",
                      aws_secret_access_key="secret-de-test")
    for bucket in ("medias-du-marche", "prives-du-marche"):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    yield endpoint
    server.stop()


def settings_from_environment(tmp_path, **variables):
    """STORAGES and the CSP's img-src as townmarket.settings build them from these variables."""
    probe = ("import json; from django.conf import settings as s; "
             "print(json.dumps({'storages': {k: s.STORAGES[k] for k in ('default', 'private')}, "
             "'img_src': [str(v) for v in s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=production_env(tmp_path, **variables),
                            capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


@pytest.fixture
def s3_media(settings, s3_endpoint, tmp_path):
    configured = settings_from_environment(tmp_path, S3_BUCKET="medias-du-marche", S3_ENDPOINT_URL=s3_endpoint,
                                           S3_PRIVATE_BUCKET="prives-du-marche", **CREDENTIALS)
    settings.STORAGES = {**settings.STORAGES, **configured["storages"]}  # resets django's `storages`
    return s3_endpoint, configured


def fetch(url):
    response = requests.get(url, timeout=10)
    assert response.status_code == 200, url
    return response.content


def decoded(content):
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_the_content_security_policy_allows_the_object_storages_images(tmp_path, s3_endpoint):
    configured = settings_from_environment(tmp_path, S3_BUCKET="medias-du-marche", S3_ENDPOINT_URL=s3_endpoint,
                                           **CREDENTIALS)
    assert s3_endpoint in configured["img_src"]
    public = settings_from_environment(tmp_path, S3_BUCKET="medias-du-marche",
                                       S3_PUBLIC_URL="https://medias.marche.example.fr/", **CREDENTIALS)
    assert "https://medias.marche.example.fr" in public["img_src"]
    assert public["storages"]["default"]["OPTIONS"]["custom_domain"] == "medias.marche.example.fr"


def test_a_product_picture_uploaded_in_the_back_office_is_served_by_the_object_storage(client, team, town, s3_media):
    endpoint, _ = s3_media
    client.force_login(team["alice"])
    response = client.post(reverse("backoffice_product_add"), product_data(**{
        "images-0-original": photo("tomme.jpg", size=(400, 300), color=(200, 120, 40)),
        "images-0-caption": "Une part"}))
    assert response.status_code == 302
    from oscar.core.loading import get_model

    stored = get_model("catalogue", "ProductImage").objects.get()
    assert stored.original.url.startswith(endpoint)
    picture = decoded(fetch(stored.original.url))
    assert picture.size == (400, 300)
    assert all(abs(a - b) < 8 for a, b in zip(picture.convert("RGB").getpixel((200, 150)), (200, 120, 40)))

    # The storefront's thumbnail of it is in the bucket too, and its page names it.
    page = client.get(stored.product.get_absolute_url()).content.decode()
    thumbnails = [url for url in re.findall(r'<img[^>]+src="([^"]+)"', page) if url.startswith(endpoint)]
    assert thumbnails, "no picture of the product page comes from the object storage"
    assert decoded(fetch(thumbnails[0])).size[0] <= 400


def test_a_vitrine_image_uploaded_in_the_wagtail_admin_is_served_with_its_renditions(client, team, s3_media):
    from wagtail.images.models import Image as WagtailImage

    endpoint, _ = s3_media
    original = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(original, "PNG")
    upload = io.BytesIO(original.getvalue())
    upload.name = "devanture.png"
    client.force_login(team["alice"])
    response = client.post(reverse("wagtailimages:add"), {"title": "Devanture", "file": upload})
    assert response.status_code in (200, 302)

    image = WagtailImage.objects.get(title="Devanture")
    assert image.file.url.startswith(endpoint)
    assert fetch(image.file.url) == original.getvalue()
    rendition = image.get_rendition("fill-16x12")
    assert rendition.url.startswith(endpoint)
    thumbnail = decoded(fetch(rendition.url))
    assert thumbnail.size == (16, 12)
    assert thumbnail.convert("RGB").getpixel((8, 6)) == (30, 90, 160)


def test_private_files_go_to_the_private_bucket_behind_signed_urls(s3_media):
    endpoint, _ = s3_media
    private = storages["private"]
    name = private.save("imports/produits.csv", io.BytesIO(b"titre;prix\nComte;12,40\n"))
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3", aws_access_key_id="cle-de-test",
                      aws_secret_access_key="secret-de-test")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="prives-du-marche")["Contents"]]
    assert keys == [f"private/{name}"]
    assert not s3.list_objects_v2(Bucket="medias-du-marche", Prefix="private/").get("Contents")
    assert "X-Amz-Signature=" in private.url(name)
    assert private.open(name).read() == b"titre;prix\nComte;12,40\n"
