"""The public app's guard rails (ui/protect.py): size limits, rate limit, security headers."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.testclient import TestClient

from ui.protect import Limits, Protect, RateLimiter


def make(limits: Limits, limiter: RateLimiter | None = None) -> TestClient:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request):
        body = await request.body()
        return JSONResponse({"bytes": len(body)})

    @app.post("/staff/upload")
    async def upload(request: Request):
        return JSONResponse({"bytes": len(await request.body())})

    @app.get("/page")
    def page():
        response = PlainTextResponse("hi")
        response.set_cookie("session", "abc", samesite="none")
        return response

    @app.get("/staff/page")
    def staff_page():
        return PlainTextResponse("staff")

    app.add_middleware(Protect, limits=limits, limiter=limiter)
    return TestClient(app)


def test_a_body_over_the_limit_is_refused_before_it_is_read():
    client = make(Limits(max_body_bytes=1024, max_upload_bytes=4096, rate_burst=100))
    assert client.post("/echo", content=b"x" * 1000).json() == {"bytes": 1000}
    too_big = client.post("/echo", content=b"x" * 5000)
    assert too_big.status_code == 413 and "too long" in too_big.json()["error"] and "988" in too_big.json()["error"]
    assert client.post("/staff/upload", content=b"x" * 3000).status_code == 200  # uploads have their own limit
    assert client.post("/staff/upload", content=b"x" * 9000).status_code == 413


def test_a_streamed_body_without_a_length_is_bounded_too():
    client = make(Limits(max_body_bytes=1024, rate_burst=100))

    def chunks():
        for _ in range(10):
            yield b"y" * 500

    assert client.post("/echo", content=chunks()).status_code == 413


def test_posts_are_rate_limited_per_client_with_retry_after():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=3, clock=lambda: now[0])
    client = make(Limits(), limiter)
    assert [client.post("/echo", content=b"a").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.post("/echo", content=b"a")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "988" in refused.json()["error"]  # whoever is turned away still sees the crisis line
    now[0] += 2.0  # one token a second comes back
    assert client.post("/echo", content=b"a").status_code == 200
    assert client.get("/page").status_code == 200  # reading pages is not limited


def test_staff_console_calls_have_their_own_larger_allowance():
    client = make(Limits(rate_per_minute=60, rate_burst=3, staff_rate_per_minute=60, staff_burst=10))
    assert [client.post("/echo", content=b"a").status_code for _ in range(4)][-1] == 429  # the patient side is spent
    assert [client.post("/staff/upload", content=b"a").status_code for _ in range(10)] == [200] * 10  # staff still work
    assert client.post("/staff/upload", content=b"a").status_code == 429  # and are limited too


def test_the_limiter_forgets_clients_beyond_its_bound():
    limiter = RateLimiter(per_minute=60, burst=1, max_clients=100)
    for i in range(1000):
        limiter.allow(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter._buckets) == 100


def test_security_headers_and_cookie_flags():
    client = make(Limits(embed_origins=("https://clinic.example", "bad; value")))
    page = client.get("/page")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://clinic.example" in csp and "bad" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "max-age=" in page.headers["strict-transport-security"]
    assert "x-frame-options" not in page.headers  # the chat may be embedded by the clinic's site
    cookie = page.headers["set-cookie"]
    assert "SameSite=Lax" in cookie and "samesite=none" not in cookie.lower()
    staff = client.get("/staff/page")
    assert staff.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in staff.headers["content-security-policy"]
    assert staff.headers["cache-control"] == "no-store"


def test_cookies_are_secure_behind_https():
    client = make(Limits())
    cookie = client.get("/page", headers={"x-forwarded-proto": "https"}).headers["set-cookie"]
    assert "Secure" in cookie


def test_the_apps_limit_messages_come_from_the_ui_texts_and_carry_the_crisis_line():
    from library.settings import Settings
    from ui.server import _refusals

    refusals = _refusals(Settings())
    assert "988" in refusals.too_many and "911" in refusals.too_large and "try again" in refusals.too_many
