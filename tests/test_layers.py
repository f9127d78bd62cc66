"""Layers import only downwards: db < core < services < handlers, jobs < channels < wiring.

A package importing a layer above it (services importing channels or handlers, say) fails
here, with the file and the import named. docs/ARCHITECTURE.md draws the same layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each layer and the modules above it, which it must never import.
WIRING = (
    "bot.app",
    "bot.runtime",
    "bot.zalo_runtime",
    "bot.scheduling",
    "bot.leadership",
    "bot.cli",
)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "bot/db": ("bot.core", "bot.services", "bot.channels", "handlers", "jobs", *WIRING),
    "bot/core": ("bot.services", "bot.channels", "handlers", "jobs", *WIRING),
    "bot/content.py": ("bot.services", "bot.channels", "handlers", "jobs", *WIRING),
    "bot/services": ("bot.channels", "handlers", "jobs", *WIRING),
    "handlers": ("bot.channels", "jobs", *WIRING),
    "jobs": ("bot.channels", "handlers", *WIRING),
    "bot/channels": ("handlers", "jobs", *WIRING),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (top level or inside functions), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def files_of(root: Path, layer: str) -> list[Path]:
    """The Python files of a layer (a package folder or one module)."""
    target = root / layer
    if target.suffix == ".py":
        return [target] if target.exists() else []
    return sorted(target.rglob("*.py"))


def violations(root: Path = ROOT) -> list[str]:
    """`file:line imports module` for each import of a higher layer."""
    found = []
    for layer, above in FORBIDDEN.items():
        for path in files_of(root, layer):
            for line, module in imported_modules(path):
                if any(module == top or module.startswith(top + ".") for top in above):
                    found.append(f"{path.relative_to(root)}:{line} imports {module}")
    return found


def test_no_layer_imports_a_layer_above_it():
    assert all(files_of(ROOT, layer) for layer in FORBIDDEN)
    assert violations() == []


def test_the_check_sees_an_upward_import(tmp_path):
    # The rule itself must be able to fail: a service importing a channel, even late.
    services = tmp_path / "bot" / "services"
    services.mkdir(parents=True)
    (services / "bad.py").write_text("def f():\n    from bot.channels.telegram import CHANNEL\n")
    (services / "good.py").write_text("from bot.core.texts import t\n")
    assert violations(tmp_path) == ["bot/services/bad.py:2 imports bot.channels.telegram"]
