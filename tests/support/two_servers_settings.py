"""Settings of the app servers that tests/integration/test_two_servers.py and the
benchmark's two-server run start: production settings as they are (DATABASE_URL,
REDIS_URL, SECRET_KEY… from the environment), with the static files collected into the
run's own folder (TWO_SERVERS_STATIC_ROOT) and uploads kept there too, so that a test
run neither needs nor overwrites the repository's static_collected/ or media/."""
import os
from pathlib import Path

from townmarket.settings.production import *  # noqa: F401,F403

STATIC_ROOT = Path(os.environ["TWO_SERVERS_STATIC_ROOT"])
MEDIA_ROOT = STATIC_ROOT.parent / "media"
