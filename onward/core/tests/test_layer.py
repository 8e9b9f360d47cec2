"""Core is the lowest layer: none of its modules imports another Onward app, at the top or inside a function."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]


def _onward_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {".".join(name.split(".")[:2]) for name in names if name.startswith("onward.")}
    return found


def test_core_imports_no_other_onward_app() -> None:
    modules = [path for path in CORE.rglob("*.py") if "tests" not in path.relative_to(CORE).parts]
    assert len(modules) > 10  # the walk found core's code
    upward = {
        f"{path.relative_to(CORE)}: {name}"
        for path in modules
        for name in _onward_imports(path)
        if name != "onward.core"
    }
    assert not upward, sorted(upward)
