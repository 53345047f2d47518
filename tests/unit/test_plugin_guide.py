"""plugins/README.md cannot drift from the code: every core name it quotes exists,
every import its snippets make works, every snippet is valid Python, and every hook and
signal the core defines is documented there (the one reference of the hooks)."""
import ast
import dataclasses
import importlib
import re
from pathlib import Path

import pytest
from django.dispatch import Signal

from townmarket import extensions, signals

GUIDE = Path(__file__).resolve().parents[2] / "plugins" / "README.md"
CORE_PREFIXES = ("townmarket.", "backoffice.", "oscar_apps.", "oscar.apps.", "oscar.core.")


def guide():
    return GUIDE.read_text(encoding="utf-8")


def python_blocks():
    return re.findall(r"```python\n(.*?)```", guide(), re.DOTALL)


def resolve(dotted):
    """The object a dotted name names (a module, or an attribute of one), or an error."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)  # AttributeError: the guide names what is not there
        return found
    raise ImportError(dotted)


def quoted_core_names():
    names = set(re.findall(r"(?<![\w/.])((?:%s)[A-Za-z_][\w.]*\w)" % "|".join(map(re.escape, CORE_PREFIXES)),
                           guide()))
    return sorted(names)


def test_the_guide_exists_and_extensions_points_at_it():
    assert GUIDE.exists()
    assert "plugins/README.md" in extensions.__doc__


@pytest.mark.parametrize("dotted", quoted_core_names())
def test_every_core_name_quoted_exists(dotted):
    resolve(dotted)


def snippet_imports():
    """(module, name) for each absolute `from module import name` of the snippets,
    except the example plugin's own modules; name None for `import module`."""
    found = []
    for block in python_blocks():
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and not node.module.startswith("plugins."):
                found.extend((node.module, alias.name) for alias in node.names)
            elif isinstance(node, ast.Import):
                found.extend((alias.name, None) for alias in node.names if not alias.name.startswith("plugins."))
    return sorted(set(found), key=str)


def test_the_guide_has_snippets_that_compile():
    blocks = python_blocks()
    assert len(blocks) >= 8
    for block in blocks:
        compile(block, str(GUIDE), "exec")


@pytest.mark.parametrize("module, name", snippet_imports(), ids=lambda value: str(value))
def test_every_import_of_the_snippets_works(module, name):
    imported = importlib.import_module(module)
    if name is not None:
        assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}") is not None


def import_table():
    """{module: [names]} from the guide's « What a plugin may import » table."""
    section = guide().split("## What a plugin may import from the core", 1)[1].split("\n## ", 1)[0]
    table = {}
    for module, what in re.findall(r"^\| `([\w.]+)` \| (.*) \|$", section, re.MULTILINE):
        table[module] = [re.match(r"\w+", name).group(0) for name in re.findall(r"`([^`]+)`", what)]
    return table


def test_every_name_the_import_table_lists_exists():
    table = import_table()
    assert {"townmarket.mail", "townmarket.absolute_urls", "townmarket.sites", "backoffice.views", "backoffice.roles",
            "backoffice.menu", "backoffice.periods", "backoffice.csv_export"} <= set(table)
    missing = [f"{module}.{name}" for module, names in table.items() for name in names
               if not hasattr(importlib.import_module(module), name)]
    assert missing == []


def core_hooks():
    return sorted(name for name, value in vars(extensions).items()
                  if name.isupper() and isinstance(value, str) and not name.startswith("_"))


def test_every_hook_of_the_core_is_documented_with_its_signature():
    text = guide()
    assert len(core_hooks()) >= 9
    undocumented = [name for name in core_hooks()
                    if not re.search(r"^### `extensions\.%s`\n\n`fn\(" % name, text, re.MULTILINE)]
    assert undocumented == []


def test_every_signal_is_documented():
    text = guide()
    ours = [f"townmarket.signals.{name}" for name, value in vars(signals).items() if isinstance(value, Signal)]
    oscars = ["oscar.apps.order.signals.order_placed", "oscar.apps.checkout.signals.post_checkout"]
    assert len(ours) >= 3
    assert [name for name in ours + oscars if f"`{name}`" not in text] == []


def test_every_field_of_a_payment_method_is_documented():
    section = guide().split("### `extensions.PAYMENT_METHODS`", 1)[1].split("\n### ", 1)[0]
    fields = [field.name for field in dataclasses.fields(extensions.PaymentMethod)]
    assert "payment_link" in fields  # an order taken by phone is paid through a link
    assert [name for name in fields if f"{name}" not in section] == []
