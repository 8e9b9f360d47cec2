"""Read from the code itself: every audit action passed anywhere is a named `AuditAction` member.

An action may reach `audit_record` as `AuditAction.NAME`, as `a if condition else b` of those, as a
parameter annotated `AuditAction` (then every call of that function is checked the same way), or as
`self.<attribute>` declared `<attribute>: AuditAction` on a class (then every value given to that
attribute in a class body is checked). A string, an f-string or anything built fails here with its place.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from onward.core.audit_actions import AuditAction

ENUM = "AuditAction"
RECORDER = "audit_record"
RECORDERS = (RECORDER, "audit_write")  # core writes through audit_write where it has one
WALKED = ("onward", "bench")


@dataclass(frozen=True)
class Taker:
    module: str
    function: str
    param: str
    position: int | None
    method: bool
    family: str = ""  # "person" when the default is AuditAction.PERSON_VIEW: callers pass person.* actions


def test_every_audit_action_in_the_code_is_a_vocabulary_member():
    modules = _modules(Path(settings.BASE_DIR))
    problems, calls = actions_checked(modules)
    assert calls > 50, "the walk found too few audit calls to be reading the code"
    assert not problems, "Audit actions not named from the vocabulary:\n" + "\n".join(problems)


def test_the_check_catches_strings_and_accepts_members():
    source = """
from onward.core.audit_actions import AuditAction
from onward.audit.services import audit_record

def ok(*, action: AuditAction = AuditAction.PERSON_VIEW):
    audit_record(actor=None, action=action)
    audit_record(actor=None, action=AuditAction.PERSON_VIEW if action else AuditAction.AUDIT_SEARCHED)

def bad(purpose, kind: str):
    audit_record(actor=None, action="person.view")  # refused
    audit_record(actor=None, action=f"person.{purpose}")  # refused
    audit_record(actor=None, action=AuditAction.NO_SUCH_THING)  # refused
    audit_record(actor=None, action=purpose)  # refused
    ok(action="person.view")  # refused
    ok(action=AuditAction.APPOINTMENT_VIEW)  # refused
    ok(action=AuditAction.PERSON_VIEW_OWN)
    _helper(None, "checkin.cancelled")  # refused

def _helper(actor, action: AuditAction):
    audit_record(actor=actor, action=action)

class Admin:
    audit_added: AuditAction

    def save(self):
        audit_record(actor=None, action=self.audit_added)
        audit_record(actor=None, action=self.something_else)  # refused

class CourseAdmin(Admin):
    audit_added = "admin.course.added"  # refused
"""
    problems, calls = actions_checked({"example.py": ast.parse(source)})
    assert calls == 9
    flagged = sorted(int(p.split(":")[1]) for p in problems)
    refused = [number for number, line in enumerate(source.splitlines(), start=1) if line.endswith("# refused")]
    assert flagged == refused, problems


def test_the_admin_pages_name_the_actions_they_always_recorded():
    from django.contrib.admin import site as default_site

    from onward.core.admin_mixins import AuditedAdmin
    from onward.core.admin_site import admin_site
    from onward.learning.admin import ContentAdmin

    seen = 0
    for site in (admin_site, default_site):
        for model, model_admin in site._registry.items():
            name = model._meta.model_name
            if isinstance(model_admin, AuditedAdmin):
                expected = {verb: f"admin.{name}.{verb}" for verb in ("added", "changed", "deleted")}
            elif isinstance(model_admin, ContentAdmin):
                expected = {verb: f"learning.content.{name}.{verb}" for verb in ("added", "changed", "deleted")}
                (inline,) = model_admin.inlines
                expected["rows_saved"] = f"learning.content.{inline.model._meta.model_name}.saved"
            else:
                continue
            seen += 1
            for verb, code in expected.items():
                assert getattr(model_admin, f"audit_{verb}", None) == AuditAction(code), (model, verb)
    assert seen >= 8


# --- The check ----------------------------------------------------------------------------------


def actions_checked(modules: dict[str, ast.Module]) -> tuple[list[str], int]:
    """Problems as 'module:line: what', and how many audit calls were seen."""
    members = set(AuditAction.__members__)
    takers, declared = _takers(modules)
    problems: list[str] = []
    calls = 0
    for module, tree in modules.items():
        for function, call in _calls_with_enclosing_function(tree):
            for taker, argument in _action_arguments(call, module, takers):
                calls += taker.function in RECORDERS
                for bad in _not_members(argument, function, members, declared):
                    problems.append(f"{module}:{bad.lineno}: {taker.function}({taker.param}={ast.unparse(bad)})")
                for leaf in _leaves(argument):
                    family = _family(leaf)
                    if taker.family and family and family != taker.family:
                        problems.append(
                            f"{module}:{leaf.lineno}: {taker.function}({taker.param}={ast.unparse(leaf)}) "
                            f"takes {taker.family}.* actions"
                        )
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                        target = statement.targets[0]
                        if isinstance(target, ast.Name) and target.id in declared:
                            for bad in _not_members(statement.value, None, members, set()):
                                problems.append(f"{module}:{bad.lineno}: {node.name}.{target.id} = {ast.unparse(bad)}")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg, default in _defaults(node):
                    if _annotated(arg.annotation):
                        for bad in _not_members(default, None, members, set()):
                            problems.append(f"{module}:{bad.lineno}: default {node.name}({arg.arg}={ast.unparse(bad)})")
    return problems, calls


def _modules(root: Path) -> dict[str, ast.Module]:
    modules = {}
    for folder in WALKED:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if {"migrations", "tests"} & set(relative.parts):
                continue
            modules[str(relative)] = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
    return modules


def _takers(modules: dict[str, ast.Module]) -> tuple[list[Taker], set[str]]:
    """Every parameter that takes an audit action, and every class attribute declared as one."""
    takers = [Taker("", name, "action", None, False) for name in RECORDERS]
    declared: set[str] = set()
    for module, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name not in RECORDERS:
                positional = [*node.args.posonlyargs, *node.args.args]
                method = bool(positional) and positional[0].arg in {"self", "cls"}
                families = {arg.arg: _family(default) for arg, default in _defaults(node)}
                for index, arg in enumerate(positional):
                    if _annotated(arg.annotation):
                        takers.append(Taker(module, node.name, arg.arg, index, method, families.get(arg.arg, "")))
                for arg in node.args.kwonlyargs:
                    if _annotated(arg.annotation):
                        takers.append(Taker(module, node.name, arg.arg, None, method, families.get(arg.arg, "")))
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    annotated = isinstance(statement, ast.AnnAssign) and _annotated(statement.annotation)
                    if annotated and isinstance(statement.target, ast.Name):
                        declared.add(statement.target.id)
    return takers, declared


def _annotated(annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.BinOp):
        return _annotated(annotation.left) or _annotated(annotation.right)
    return (isinstance(annotation, ast.Name) and annotation.id == ENUM) or (
        isinstance(annotation, ast.Attribute) and annotation.attr == ENUM
    )


def _calls_with_enclosing_function(tree: ast.Module):
    def walk(node: ast.AST, function: ast.FunctionDef | ast.AsyncFunctionDef | None):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call):
                yield function, child
            yield from walk(child, inner)

    yield from walk(tree, None)


def _action_arguments(call: ast.Call, module: str, takers: list[Taker]):
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
    for taker in takers:
        if taker.function != name or (name.startswith("_") and taker.module != module):
            continue
        argument = next((k.value for k in call.keywords if k.arg == taker.param), None)
        if argument is None and taker.position is not None:
            index = taker.position - (1 if taker.method and isinstance(call.func, ast.Attribute) else 0)
            if 0 <= index < len(call.args):
                argument = call.args[index]
        if argument is not None:
            yield taker, argument


def _not_members(node: ast.expr, function, members: set[str], declared: set[str]) -> list[ast.expr]:
    if isinstance(node, ast.IfExp):
        return _not_members(node.body, function, members, declared) + _not_members(
            node.orelse, function, members, declared
        )
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == ENUM and node.attr in members:
            return []
        if node.value.id in {"self", "cls"} and node.attr in declared:
            return []
    if isinstance(node, ast.Name) and function is not None:
        args = function.args
        if any(
            a.arg == node.id and _annotated(a.annotation) for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]
        ):
            return []
    return [node]


def _leaves(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.IfExp):
        return _leaves(node.body) + _leaves(node.orelse)
    return [node]


def _family(node: ast.expr) -> str:
    """The part of a member's code before its last dot ("person" for AuditAction.PERSON_VIEW), else ""."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == ENUM:
        member = AuditAction.__members__.get(node.attr)
        if member is not None:
            return member.value.rsplit(".", 1)[0]
    return ""


def _defaults(function: ast.FunctionDef | ast.AsyncFunctionDef):
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    yield from zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    yield from ((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None)
