import socket
import subprocess
import sys
import time

import pytest

BUCKET = "team-assistant-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 emulator in server mode, as its own process on a free local port."""
    import boto3

    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                                "-p", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")
    deadline = time.monotonic() + 60
    while True:
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.3)
    yield {"endpoint": endpoint, "client": client, "bucket": BUCKET}
    process.terminate()
    process.wait(timeout=10)


S3_ENV = ("STORAGE_BACKEND", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID",
          "S3_SECRET_ACCESS_KEY", "S3_REGION", "S3_PREFIX")


@pytest.fixture
def s3_storage(s3_server, settings, tmp_path):
    """The default storage is the emulator's bucket (under a prefix of this test's own)."""
    prefix = f"t-{tmp_path.name}"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": s3_server["bucket"], "endpoint_url": s3_server["endpoint"],
            "access_key": "test", "secret_key": "test", "region_name": "us-east-1",
            "location": prefix, "addressing_style": "path", "file_overwrite": False,
            "default_acl": None}}}
    env = {"STORAGE_BACKEND": "s3", "S3_BUCKET": s3_server["bucket"],
           "S3_ENDPOINT_URL": s3_server["endpoint"], "S3_ACCESS_KEY_ID": "test",
           "S3_SECRET_ACCESS_KEY": "test", "S3_REGION": "us-east-1", "S3_PREFIX": prefix}
    return {**s3_server, "prefix": prefix, "env": env}
