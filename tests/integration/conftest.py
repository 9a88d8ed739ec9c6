"""An in-process app on a temp database, and a walker that fills the adult journey like a citizen's browser."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.definition.loader import FORMS_DIR
from renderer.uploads.images import make_placeholder_portrait
from renderer.web.app import create_app
from renderer.web.config import Settings
from tests.pg import throwaway_database

PERSONAS = Path(__file__).resolve().parents[2] / "data" / "personas.yaml"
ZHANG = "440106199001011235"


def settings_for(database: Path) -> Settings:
    return Settings(host="127.0.0.1", port=0, database=database, forms=FORMS_DIR, personas=PERSONAS, services="simulator",
                    failure_rate=0.0, https_cookies=False, secret="integration-test-secret")


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "app.sqlite3"


@pytest.fixture(params=["sqlite", "postgresql"])
def each_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store setting on each engine in turn: a SQLite file, then a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "db" / "store.sqlite3")
    else:
        with throwaway_database() as url:
            yield url


@pytest.fixture
def app(database: Path) -> Any:
    return create_app(settings_for(database))


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=True) as c:
        yield c


class Citizen:
    """Drives the pages through plain form posts, as a browser without JavaScript would."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""
        self.last: Any = None

    def get(self, url: str) -> Any:
        self.last = self.client.get(url)
        self._token(self.last.text)
        return self.last

    def post(self, url: str, data: dict[str, str], files: dict[str, Any] | None = None) -> Any:
        self.last = self.client.post(url, data={"_csrf": self.csrf, **data}, files=files)
        self._token(self.last.text)
        return self.last

    def _token(self, html: str) -> None:
        found = re.search(r'name="_csrf" value="([^"]+)"', html)
        if found:
            self.csrf = found.group(1)

    def sign_in(self, number: str = ZHANG) -> Any:
        self.get("/login")
        return self.post("/login", {"id_number": number})

    def errors(self) -> list[str]:
        return re.findall(r'<p class="error" id="[^"]+">([^<]+)</p>', self.last.text)

    def through_eligibility(self, city: str = "广州市") -> Any:
        """The adult guide agreed, the face check passed, 资格校验 pressed for `city`: where that leads."""
        self.get("/j/adult")
        self.post("/j/adult/guide", {"_action": "button:0", "agreed": "1"})
        self.post(str(self.last.url), {"result": "pass"})
        return self.post("/j/adult/eligibility", {"_action": "button:0", "intended_city": city})

    def walk_to_confirm(self, city: str = "广州市", until: str = "confirm") -> Any:
        """Through the adult journey to 信息确认, or stop on the page `until` (e.g. 'pickup': halfway)."""
        self.through_eligibility(city)
        image = make_placeholder_portrait("id")
        self.post("/j/adult/documents", {"_action": "button:0", "documents.choice": "id_card"},
                  files={"documents.id_card.0": ("a.jpg", image, "image/jpeg"),
                         "documents.id_card.1": ("b.jpg", image, "image/jpeg")})
        self.post("/j/adult/photo", {"_action": "button:0", "photo.consent": "1"})
        self.post("/j/adult/details", {"_action": "field:phone:send", "phone": "13600002819"})
        code = re.search(r"(?:验证码为|驗證碼為)(\d{6})", self.last.text).group(1)
        self.post("/j/adult/details", {**DETAILS, "phone.code": code})
        if until == "pickup":
            assert self.last.url.path == "/j/adult/pickup", (self.last.url, self.errors())
            return self.last
        self.post("/j/adult/pickup", {"_action": "button:0", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"})
        assert self.last.url.path == "/j/adult/confirm", (self.last.url, self.errors())
        return self.last

    def walk_minor_to_confirm(self) -> Any:
        """王芳 (signed in) for her son 李小明, by 户口簿, a photo by receipt number, 网点领卡."""
        self.get("/j/minor")
        self.post("/j/minor/guide", {"_action": "button:0", "agreed": "1"})
        self.post(str(self.last.url), {"result": "pass"})
        self.post("/j/minor/eligibility", {"_action": "button:0", "guardian_relationship": "母亲",
                                           "applicant_name": "李小明", "applicant_id_type": "户口簿",
                                           "applicant_id_number": "440105201503153317", "intended_city": "广州市"})
        image = make_placeholder_portrait("doc")
        slots = ["guardian_documents.id_card.0", "guardian_documents.id_card.1",
                 "applicant_documents.household_register.0", "applicant_documents.household_register.1",
                 "applicant_documents.household_register.2"]
        self.post("/j/minor/documents", {"_action": "button:0", "guardian_documents.choice": "id_card",
                                         "applicant_documents.choice": "household_register"},
                  files=dict.fromkeys(slots, ("a.jpg", image, "image/jpeg")))
        self.post("/j/minor/photo", {"_action": "field:photo:fetch", "photo.receipt": "GZ2023080100533"})
        self.post("/j/minor/photo", {"_action": "button:0", "photo.receipt": "GZ2023080100533"})
        self.post("/j/minor/details", {"_action": "field:phone:send", "phone": "13977778888"})
        code = re.search(r"(?:验证码为|驗證碼為)(\d{6})", self.last.text).group(1)
        details = {k: v for k, v in DETAILS.items() if not k.startswith("id_")}
        self.post("/j/minor/details", {**details, "phone": "13977778888", "phone.code": code, "occupation": "其他人员"})
        self.post("/j/minor/pickup", {"_action": "button:0", "pickup_method": "网点领卡", "branch": "gz-lw-zhanqianlu"})
        assert self.last.url.path == "/j/minor/confirm", (self.last.url, self.errors())
        return self.last

    def version(self) -> str:
        """The draft version the last page was shown at (its hidden `_version`)."""
        return re.search(r'name="_version" value="(\d+)"', self.last.text).group(1)


DETAILS = {"_action": "button:0", "ethnicity": "汉族", "id_longterm": "否", "id_valid_from": "2020-01-01",
           "id_valid_to": "2035-01-01", "phone": "13600002819", "occupation": "企业管理人员",
           "home_region.province": "广东省", "home_region.city": "广州市", "home_region.district": "天河区",
           "home_address": "天河路100号1201房", "bank": "工商银行", "insurance_type": "城镇职工"}


@pytest.fixture
def citizen(client: TestClient) -> Citizen:
    return Citizen(client)
