"""What the fuzz test sends: the inputs each view reads, found from its code, and a fixed
corpus of hostile values and broken bodies.

A view's inputs are found from its code, so there is no list to keep up to date:
- the fields of every form its code binds to the request (`ArticleForm(request.POST)`), also
  in the module-level helpers it calls, and a class-based view's `form_class`;
- every parameter its code reads by name (`request.GET.get("q")`, `query_params.get("q")`);
- for a REST framework view, its serializer's writable fields, `page` and `format`.
Each is sent by the method whose data the view reads it from (`request.GET` or `.POST`).
"""

from __future__ import annotations

import inspect
import re
import sys
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote_from_bytes

from django import forms
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework import serializers


@dataclass(frozen=True)
class Upload:
    """A file to send in a multipart body."""

    name: str
    content: bytes = b"Some notes."


@dataclass
class Inputs:
    """The inputs of one view: a plausible value for each (so that one hostile input at a
    time reaches as deep as it can), by the method whose data the view reads it from."""

    by_method: dict[str, dict[str, bytes | Upload]] = field(
        default_factory=lambda: {"GET": {}, "POST": {}}
    )

    def add(self, name: str, plausible: bytes | Upload, method: str) -> None:
        self.by_method[method].setdefault(name, plausible)

    @property
    def names(self) -> set[str]:
        return set(self.by_method["GET"]) | set(self.by_method["POST"])


# --- The corpus ----------------------------------------------------------------------------

# Values are the bytes a client sends (percent-encoded in a query string or a urlencoded
# body, as they are in a multipart body), so invalid UTF-8 is sent as it would be on the wire.
HOSTILE: dict[str, bytes] = {
    "nul": b"refund\x00s",
    "1MB": b"x" * 1_000_000,
    "huge-int": b"99999999999999999999",  # past 64 bits
    "negative": b"-1",
    "bad-date": b"2024-02-30",
    # U+D800 encoded as if it were a character, then bytes that are never UTF-8.
    "lone-surrogate": "\ud800".encode("utf-8", "surrogatepass") + b"\xff\xfe",
    "word": b"x",  # a bare word where a URL, a number or a choice is expected
    "empty": b"",
    "markup-only": b"<!-- todo -->",  # text that is nothing once sanitised
}

# Uploads for file fields, besides the hostile values above sent as plain fields.
HOSTILE_UPLOADS: dict[str, Upload] = {
    "accented-190": Upload("é" * 190 + ".txt"),
    "long-ascii": Upload("a" * 300 + ".txt"),
    "nul-name": Upload("notes\x00.txt"),
    "no-stem": Upload(".txt"),
    "traversal": Upload("../../../etc/passwd.txt"),
    "empty-file": Upload("empty.txt", b""),
    "lying-image": Upload("photo.png", b"MZ\x90\x00 not a png"),
}

# Values for URL parameters (percent-encoded into the path).
HOSTILE_PATH: dict[str, str] = {
    "nul": "refund%00s",
    "long": "a" * 1000,  # longer than any name, slug or the lockout's 255 characters
    "huge-int": "99999999999999999999",
    "negative": "-1",
    "lone-surrogate": "%ED%A0%80%FF",
}

_MULTIPART_PART = (
    b"--" + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="body"\r\n\r\nx\r\n'
)
# Bodies a broken client or an attacker sends: (label, content type, body).
BROKEN_BODIES: list[tuple[str, str, bytes]] = [
    ("multipart-without-boundary", "multipart/form-data", _MULTIPART_PART),
    ("multipart-empty-boundary", "multipart/form-data; boundary=", _MULTIPART_PART),
    ("multipart-truncated", MULTIPART_CONTENT, _MULTIPART_PART[:-10]),
    ("multipart-no-closing-boundary", MULTIPART_CONTENT, _MULTIPART_PART),
    (
        "multipart-part-without-headers",
        MULTIPART_CONTENT,
        b"--" + BOUNDARY.encode() + b"\r\n\r\nx\r\n--" + BOUNDARY.encode() + b"--\r\n",
    ),
    ("multipart-garbage", MULTIPART_CONTENT, b"\x00\xff" * 64),
    (
        "multipart-bad-base64",
        MULTIPART_CONTENT,
        b"--" + BOUNDARY.encode() + b'\r\nContent-Disposition: form-data; name="file"; '
        b'filename="a.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!*\r\n--'
        + BOUNDARY.encode()
        + b"--\r\n",
    ),
    ("urlencoded-bad-charset", "application/x-www-form-urlencoded; charset=nope", b"q=x"),
    ("urlencoded-garbage", "application/x-www-form-urlencoded", b"%%%&&==\x00\xff=%zz"),
    ("json-invalid", "application/json", b'{"q": '),
    ("json-nul", "application/json", b'{"q": "\\u0000", "message": "\\u0000"}'),
]


# --- Encoding ------------------------------------------------------------------------------


def urlencode_bytes(data: dict[str, bytes]) -> str:
    return "&".join(
        f"{quote_from_bytes(name.encode())}={quote_from_bytes(value)}"
        for name, value in data.items()
    )


def multipart(data: dict[str, bytes | Upload]) -> bytes:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return encode_multipart(
        BOUNDARY,
        {
            name: SimpleUploadedFile(value.name, value.content)
            if isinstance(value, Upload)
            else value
            for name, value in data.items()
        },
    )


# --- Discovery ------------------------------------------------------------------------------

PROJECT_PACKAGES = {"config", "people", "notifications", "searchkit", "kb", "search", "dashboard"}

# Where a view reads a parameter from, by the name its code uses for the data.
_METHOD_OF = {"GET": "GET", "query_params": "GET", "POST": "POST", "FILES": "POST", "data": "POST"}
_DATA = r"(GET|POST|FILES|query_params|data)"
# A parameter read by name: request.GET.get("q"), request.POST["next"], query_params.get(...).
_READ = re.compile(_DATA + r"""(?:\.get\(|\.getlist\(|\[)\s*["']([\w-]+)["']""")
# A form bound to the request's data: ArticleForm(request.POST or None, ...).
_BOUND_FORM = re.compile(r"\b(\w+)\(\s*request\." + _DATA + r"\b")

# Plausible values of parameters that are read by name rather than through a form.
PLAUSIBLE_PARAMS = {"next": b"/", "q": b"refund", "page": b"1", "format": b"json"}


def view_inputs(view, *, is_api: bool) -> Inputs:
    """The inputs the resolved view callable `view` reads, each with a plausible value and
    the method whose data it is read from."""
    inputs = Inputs()
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is None:
        code = [(_source(func), func.__globals__) for func in _functions(view, set())]
    else:
        # The project's own class-based views are read like functions; Django's and REST
        # framework's read their inputs through `form_class` and the serializer.
        code = []
        if view_class.__module__.split(".")[0] in PROJECT_PACKAGES:
            code.append((_source(view_class), vars(sys.modules[view_class.__module__])))
        if getattr(view_class, "form_class", None):
            _add_form(inputs, view_class.form_class, "POST")
        if getattr(view_class, "redirect_field_name", None):  # Django's log-in and log-out
            for method in ("GET", "POST"):
                inputs.add(view_class.redirect_field_name, b"/", method)
        serializer_class = getattr(view_class, "serializer_class", None)
        if serializer_class is not None:
            for name, serializer_field in serializer_class().fields.items():
                if not serializer_field.read_only:
                    inputs.add(name, _plausible_serializer_value(serializer_field), "POST")
    for source, namespace in code:
        for data, name in _READ.findall(source):
            inputs.add(name, PLAUSIBLE_PARAMS.get(name, b"1"), _METHOD_OF[data])
        for class_name, data in _BOUND_FORM.findall(source):
            form_class = namespace.get(class_name)
            if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
                _add_form(inputs, form_class, _METHOD_OF[data])
    if is_api:  # REST framework's pagination and format override
        inputs.add("page", b"1", "GET")
        inputs.add("format", b"json", "GET")
    return inputs


def _add_form(inputs: Inputs, form_class, method: str) -> None:
    for name, form_field in _form_fields(form_class).items():
        inputs.add(name, plausible_value(form_field), method)


def _functions(view, seen: set) -> list[types.FunctionType]:
    """The view function and every function of its module that it names, transitively
    (helpers such as `_request_action`)."""
    func = inspect.unwrap(view)
    if not isinstance(func, types.FunctionType) or func in seen:
        return []
    seen.add(func)
    found = [func]
    for name in _names(func.__code__):
        helper = func.__globals__.get(name)
        if isinstance(helper, types.FunctionType) and helper.__module__ == func.__module__:
            found += _functions(helper, seen)
    return found


def _names(code: types.CodeType) -> set[str]:
    """Global names a function uses, also in its lambdas and inner functions."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _source(obj) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ""


def _form_fields(form_class) -> dict[str, forms.Field]:
    """A form's fields as an instance has them (some forms add fields in __init__)."""
    try:
        parameters = inspect.signature(form_class.__init__).parameters
        kwargs = {
            name: None
            for name, p in parameters.items()
            if p.kind == p.KEYWORD_ONLY and p.default is p.empty
        }
        if "request" in parameters:
            kwargs["request"] = None
        return dict(form_class(**kwargs).fields)
    except Exception:  # a form that needs more to be built: its declared fields
        return dict(form_class.base_fields)


def plausible_value(form_field: forms.Field) -> bytes | Upload:
    """A value the field accepts, where one is easy to name; hostile values replace one
    field at a time, so the others should pass."""
    if isinstance(form_field, forms.FileField):
        return Upload("notes.txt")
    if isinstance(form_field, forms.ModelChoiceField):  # and ModelMultipleChoiceField
        first = form_field.queryset.order_by("pk").values_list("pk", flat=True).first()
        return str(first or "").encode()
    if isinstance(form_field, forms.ChoiceField):
        for value, label in form_field.choices:
            if value not in ("", None) and not isinstance(label, (list, tuple)):
                return str(value).encode()
        return b""
    if isinstance(form_field, forms.BooleanField):
        return b"on"
    if isinstance(form_field, forms.IntegerField):
        return str(form_field.min_value if form_field.min_value is not None else 1).encode()
    if isinstance(form_field, forms.DateTimeField):
        return datetime.now().strftime("%Y-%m-%d %H:%M").encode()
    if isinstance(form_field, forms.DateField):
        return date.today().isoformat().encode()
    if isinstance(form_field, forms.EmailField):
        return b"someone@example.com"
    if isinstance(form_field, forms.SlugField):
        return b"refunds"
    return b"Refunds for annual plans"


def _plausible_serializer_value(serializer_field) -> bytes:
    if isinstance(serializer_field, serializers.BooleanField):
        return b"true"
    if isinstance(serializer_field, serializers.IntegerField):
        return b"1"
    return b"Refunds for annual plans"
