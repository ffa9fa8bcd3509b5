"""A trainee as the portal sees one over HTTP: cookies, CSRF and real form posts, no test client.

Used by the tests that start the portal as its own processes (tests/runtime/) and by the
classroom load test (bench/classroom.py).
"""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)  # select name -> option values


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attrs.get("action") or "", (attrs.get("method") or "get").lower()))
        if not self.forms:
            return
        form, name = self.forms[-1], attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    form.fields[name] = attrs.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                form.fields.setdefault(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            form.options[self._select].append(value)
            if "selected" in attrs or self._select not in form.fields:
                form.fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class Response:
    status: int
    url: str
    body: str


class Trainee:
    def __init__(self, base_url: str, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=self.timeout) as response:
                return Response(response.status, response.geturl(), response.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.geturl(), error.read().decode(errors="replace"))

    def get(self, path: str) -> Response:
        return self.request(path)

    def submit(self, page: str, action: str, **values) -> Response:
        """Fill the form of `page` that posts to `action` (its own hidden fields, CSRF included) and send it."""
        html = self.get(page).body
        form = next(f for f in forms_in(html) if f.method == "post" and urllib.parse.urlsplit(f.action or page).path == action)
        return self.request(action, {**form.fields, **values})

    def sign_up(self, email: str, password: str, plan: str = "business") -> Response:
        return self.submit(
            "/training/start/", "/training/start/",
            email=email, password=password, confirm_password=password, support_plan=plan,
        )

    def sign_in(self, email: str, password: str) -> Response:
        """The root user's sign-in; the response is the page it lands on."""
        return self.submit("/signin/", "/signin/", email=email, password=password)

    def set_engineer(self, *, time_speed_factor: int, pickup_delay_minutes: int) -> Response:
        return self.submit(
            "/training/", "/training/settings/",
            simulated_engineer="on", time_speed_factor=time_speed_factor, pickup_delay_minutes=pickup_delay_minutes,
        )

    def open_case(self, subject: str, description: str, service: str = "amazon-elasticache") -> int:
        """A technical case at normal severity; returns its display ID."""
        page = f"/support/cases/new/?case_type=technical&service={service}"
        category = next(f for f in forms_in(self.get(page).body) if "category" in f.options).options["category"][1]
        response = self.submit(
            f"{page}&category={category}", "/support/cases/new/",
            case_type="technical", service=service, category=category, severity="normal",
            subject=subject, description=description, contact_method="web",
        )
        match = re.search(r"/support/cases/(\d+)/$", response.url)
        if not match:
            raise AssertionError(f"no case was opened (HTTP {response.status} at {response.url})")
        return int(match.group(1))

    def reply(self, display_id: int, text: str) -> Response:
        page = f"/support/cases/{display_id}/"
        return self.submit(page, f"{page}reply/", description=text)
