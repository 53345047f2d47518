#!/usr/bin/env python
"""Django's command-line utility. `site/` holds the project package `townmarket`
(a package cannot be named `site`: it is a frozen stdlib module since Python 3.11)."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townmarket.settings.dev")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # reads the settings, hence the environment (settings/base.py)
    except ImproperlyConfigured as error:  # a bad environment variable: its message, no traceback
        sys.exit(f"Configuration invalide / invalid configuration: {error}")
    execute_from_command_line(sys.argv)
