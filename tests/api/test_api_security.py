"""Security headers, CORS closed by default, rate limits, and settings that refuse placeholders."""

from __future__ import annotations

import pytest
from api_helpers import API, make_settings
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from popliteal.api import ApiSettings, create_app
from popliteal.store.models import RateLimit

START = {"age": 54, "sex": "female", "text": "", "consent": True}


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (client.get(f"{API}/health"), client.get(f"{API}/nope"),
                     client.post(f"{API}/assessments", json={}), client.get("/openapi.json")):
        headers = response.headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert "camera=()" in headers["permissions-policy"]
        assert headers["strict-transport-security"].startswith("max-age=")
    assert client.get(f"{API}/health").headers["cache-control"] == "no-store"


def test_no_hsts_in_development(db_url: str) -> None:
    with TestClient(create_app(make_settings(db_url, env="development"), warm_up=False)) as c:
        assert "strict-transport-security" not in c.get(f"{API}/health").headers


def test_cors_is_closed_by_default(client: TestClient) -> None:
    origin = {"Origin": "https://evil.example"}
    response = client.get(f"{API}/health", headers=origin)
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(f"{API}/assessments", headers={
        **origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_configured_origins(db_url: str) -> None:
    settings = make_settings(db_url, cors_origins="https://clinic.example")
    with TestClient(create_app(settings, warm_up=False)) as c:
        ok = c.get(f"{API}/health", headers={"Origin": "https://clinic.example"})
        assert ok.headers["access-control-allow-origin"] == "https://clinic.example"
        other = c.get(f"{API}/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_rate_limit_on_starting_assessments(db_url: str) -> None:
    settings = make_settings(db_url, rate_assessments_per_minute=3)
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        codes = [c.post(f"{API}/assessments", json=START).status_code for _ in range(4)]
        assert codes == [201, 201, 201, 429]
        limited = c.post(f"{API}/assessments", json=START)
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1
        assert c.get(f"{API}/health").status_code == 200  # other routes are not limited


def test_rate_limit_on_login(db_url: str) -> None:
    settings = make_settings(db_url, rate_logins_per_minute=2)
    with TestClient(create_app(settings, warm_up=False), base_url="https://testserver") as c:
        body = {"username": "nobody", "password": "guess-guess"}
        codes = [c.post(f"{API}/auth/login", json=body).status_code for _ in range(3)]
        assert codes == [401, 401, 429]


def test_rate_limit_on_booking_requests(db_url: str) -> None:
    """A booking puts a name and phone number in front of the clinic's team: no flooding."""
    settings = make_settings(db_url, rate_bookings_per_minute=2)
    booking = {"name": "Tan Ah Kow", "phone": "91234567", "branch_id": "serangoon",
               "preferred_times": ["saturday morning"], "consent_to_contact": True}
    with TestClient(create_app(settings, warm_up=False), base_url="https://testserver") as c:
        codes = [c.post(f"{API}/bookings", json=booking).status_code for _ in range(3)]
        assert codes == [201, 201, 429]
        assert c.post(f"{API}/bookings", json=booking).json()["error"]["code"] == "rate_limited"


def test_rate_limits_are_shared_by_processes_and_keep_no_address(db_url: str) -> None:
    """Two apps on one database (two server processes, or two machines on one PostgreSQL)
    count against one limit; the client's address is stored only as a keyed hash."""
    settings = make_settings(db_url, rate_assessments_per_minute=3, secret_key="k" * 40)
    with TestClient(create_app(settings, warm_up=False)) as one, \
            TestClient(create_app(settings, warm_up=False)) as two:
        codes = [c.post(f"{API}/assessments", json=START).status_code
                 for c in (one, two, one, two)]
        assert codes == [201, 201, 201, 429]
        store = one.app.state.store  # type: ignore[attr-defined]
        with store.transaction() as session:
            clients = list(session.scalars(select(RateLimit.client)))
    assert len(clients) == 1 and clients[0] != "testclient" and len(clients[0]) == 64


@pytest.mark.parametrize("secret", ["changethis", "secret", "short-but-random-1234"])
def test_placeholder_secret_refused_in_production(secret: str) -> None:
    with pytest.raises(ValidationError, match="POPLITEAL_SECRET_KEY"):
        ApiSettings.from_env({"POPLITEAL_SECRET_KEY": secret,
                              "POPLITEAL_DATABASE_URL": "sqlite:///x.db"})
    dev = ApiSettings.from_env({"POPLITEAL_SECRET_KEY": secret, "POPLITEAL_ENV": "development",
                                "POPLITEAL_DATABASE_URL": "sqlite:///x.db"})
    assert dev.is_development


def test_settings_from_env_defaults_and_values(tmp_path) -> None:  # type: ignore[no-untyped-def]
    default = ApiSettings.from_env({"POPLITEAL_DATA_DIR": str(tmp_path)})
    assert default.env == "production" and default.cors_origins == ()
    assert default.store.database_url.startswith("sqlite:///") and default.max_body_bytes == 65536
    assert len(default.secret_key.get_secret_value()) >= 32  # random per process when unset
    custom = ApiSettings.from_env({
        "POPLITEAL_DATABASE_URL": "postgresql+psycopg2://u@db/p",
        "POPLITEAL_SECRET_KEY": "k" * 40, "POPLITEAL_CORS_ORIGINS": "https://a.sg, https://b.sg/",
        "POPLITEAL_RATE_ASSESSMENTS_PER_MINUTE": "30", "POPLITEAL_MAX_BODY_BYTES": "20000",
        "POPLITEAL_RATE_BOOKINGS_PER_MINUTE": "7"})
    assert custom.cors_origins == ("https://a.sg", "https://b.sg")
    assert custom.rate_bookings_per_minute == 7 and default.rate_bookings_per_minute == 5
    assert custom.rate_assessments_per_minute == 30 and custom.max_body_bytes == 20000
    with pytest.raises(ValidationError):
        ApiSettings.from_env({"POPLITEAL_CORS_ORIGINS": "*", "POPLITEAL_DATA_DIR": str(tmp_path)})
