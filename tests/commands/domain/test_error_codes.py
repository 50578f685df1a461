"""One registry of error codes (`core.error_codes`): each code defined there once, with its
status; every code the write side and the API refuse with is one of them, answered with that
status; the OpenAPI document names them under that status too."""

import ast
import re
from collections import Counter
from pathlib import Path

from commands.domain import errors
from core import error_codes as codes
from core.error_codes import ErrorCode
from query_api.service.app import create_app

ROOT = Path(__file__).resolve().parents[3]
REGISTRY = ROOT / "core" / "error_codes.py"
APP = ("commands", "core", "ops", "projections", "query_api", "seed", "workers")
# The refusals by a domain error's kind: a code given to one must answer with its status.
KINDS = {kind.__name__: kind for kind in (errors.NotFound, errors.Forbidden, errors.RuleBroken,
                                          errors.Conflict, errors.Busy)}
# What raises a code of the API, the code its first argument.
API_RAISERS = {"ApiError", "unauthorized"}
# Codes the OpenAPI document does not name yet (it is published as the SDK's: naming them is
# a change of the document, not of this registry). A code added to the registry is documented,
# or added here on purpose.
NOT_YET_DOCUMENTED = {
    codes.DOMAIN_ERROR, codes.RULE_BROKEN, codes.NOT_FOUND, codes.CONFLICT,
    codes.INVALID_EVENT, codes.STARTS_IN_PAST, codes.INVALID_CATEGORY, codes.INVALID_PRICE,
    codes.INVALID_CAPACITY, codes.LIMIT_BELOW_HELD, codes.CAPACITY_BELOW_SOLD,
    codes.CATEGORY_REQUIRED, codes.UNKNOWN_CATEGORY, codes.EVENT_NOT_STARTED,
    codes.INVALID_QUANTITY, codes.TOO_MANY_CO_ORGANIZERS,
    codes.IS_ORGANIZER, codes.DUPLICATE_BOOKING, codes.TOKEN_LIFETIME_EXCEEDED,
    codes.INVALID_METRICS_TOKEN, codes.LEAF_NOT_IN_STORE,
    codes.METHOD_NOT_ALLOWED,
    codes.NOT_ACCEPTABLE, codes.TOO_MANY_REQUESTS,
    codes.INTERNAL_ERROR,
}
# Refusals of a command only the scheduler gives (an erased buyer's invoice details forgotten,
# `workers.invoice_retention`): no route answers them.
NO_ROUTE = {codes.PERSON_NOT_ERASED, codes.INVOICE_DETAILS_ALREADY_FORGOTTEN}


def _definitions() -> list[tuple[str, str]]:
    """(name, code) of every `NAME = ErrorCode("CODE", ...)` in the registry's source."""
    found = []
    for node in ast.parse(REGISTRY.read_text()).body:
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "ErrorCode"):
            code = node.value.args[0]
            assert isinstance(code, ast.Constant) and isinstance(code.value, str), ast.unparse(node)
            found += [(target.id, code.value) for target in node.targets
                      if isinstance(target, ast.Name)]
    return found


def _app_calls() -> list[tuple[str, ast.Call]]:
    return [(f"{path.relative_to(ROOT)}:{node.lineno}", node)
            for top in APP for path in sorted((ROOT / top).rglob("*.py"))
            for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _code(node: ast.expr) -> ErrorCode | None:
    """The registered code an argument names: `codes.X`, or a code literal (None: neither, e.g.
    a variable)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
            node.value.id == "codes"):
        found = getattr(codes, node.attr, None)
        assert isinstance(found, ErrorCode), f"codes.{node.attr} is no registered code"
        return found
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return codes.by_code(node.value)
    return None


def test_each_code_is_defined_once_under_its_own_name_with_an_error_status() -> None:
    defined = _definitions()
    names = Counter(name for name, _ in defined)
    texts = Counter(code for _, code in defined)
    assert [name for name, n in names.items() if n > 1] == []
    assert [code for code, n in texts.items() if n > 1] == []
    assert [(name, code) for name, code in defined if name != code] == []
    assert sorted(map(str, codes.ALL)) == sorted(texts)
    assert [code for code in codes.ALL if not 400 <= code.status < 600] == []


def test_no_module_but_the_registry_makes_a_code() -> None:
    made = [where for where, call in _app_calls()
            if _name(call) == "ErrorCode" and not where.startswith("core/error_codes.py:")]
    assert made == []


def test_each_kind_of_domain_error_answers_a_registered_code_with_its_status() -> None:
    statuses = {kind: kind.code.status for kind in KINDS.values()}
    assert statuses == {errors.NotFound: 404, errors.Forbidden: 403, errors.RuleBroken: 400,
                        errors.Conflict: 409, errors.Busy: 503}
    assert all(codes.by_code(kind.code) is kind.code for kind in [errors.DomainError,
                                                                    *KINDS.values()])


def test_every_code_refused_with_is_registered_with_the_status_of_its_error() -> None:
    wrong = []
    for where, call in _app_calls():
        name = _name(call)
        given = [k.value for k in call.keywords if k.arg == "code"]
        if name in API_RAISERS and call.args:
            given.append(call.args[0])
        for node in given:
            code = _code(node)  # unregistered: LookupError, naming it
            if code is not None and name in KINDS and code.status != KINDS[name].code.status:
                wrong.append(f"{where}: {name} with {code} ({code.status})")
    assert wrong == []


def test_a_domain_error_answers_with_its_codes_status() -> None:
    refused = errors.event_not_found("e-1")
    assert (refused.code, refused.status, refused.message) == (
        "EVENT_NOT_FOUND", 404, "Event e-1 not found")
    assert errors.RuleBroken("no", code=codes.SOLD_OUT).status == 400


def test_the_openapi_document_names_each_code_under_its_status() -> None:
    spec = create_app().openapi()
    registered = {str(code): code for code in codes.ALL}
    named: set[str] = set()
    wrong = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                words = set(re.findall(r"\b[A-Z][A-Z0-9_]+\b", response.get("description", "")))
                for word in words & registered.keys():
                    named.add(word)
                    if str(registered[word].status) != status:
                        wrong.append(f"{method.upper()} {path}: {word} under {status}")
    assert wrong == []
    assert sorted(set(registered) - named - NOT_YET_DOCUMENTED - NO_ROUTE) == []
    assert sorted(named & (NOT_YET_DOCUMENTED | NO_ROUTE)) == []  # documented: not listed above
