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
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
