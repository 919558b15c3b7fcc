"""The residents of bench.load (issue 10): a second process, standard library only, that answers the
survey through the product's own pages, as a browser would: GET /s/<token>/ (the CSRF cookie and the
form's fields), then POST the answers. A fixed list of tokens, a fixed number of concurrent
residents, and a time cap after which no new resident starts; every request's status and latency is
recorded. A few tokens are submitted twice — once more after the thanks page (the back button), or
twice at the same moment (two phones) — to show that a resubmit makes no second response.

Run as `python -m bench.load_client` with the job as JSON on stdin (see `main`); prints JSON.
Only loopback addresses are accepted as a target.
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

LOOPBACK = ("127.0.0.1", "localhost", "::1")
TIMEOUT = 30  # seconds per request


class AnswerPage(HTMLParser):
    """The fields of surveys' answer form: the CSRF token, the radio groups (q<id>, levels) and the
    text fields (c<id>: an item's comment or an open question)."""

    def __init__(self) -> None:
        super().__init__()
        self.csrf = ""
        self.radios: dict[str, list[str]] = {}
        self.texts: list[str] = []
        self.forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms += 1
        elif tag == "input" and a.get("name") == "csrfmiddlewaretoken":
            self.csrf = a.get("value", "")
        elif tag == "input" and a.get("type") == "radio":
            self.radios.setdefault(a["name"], []).append(a.get("value", ""))
        elif (tag == "input" and a.get("type") == "text") or tag == "textarea":
            self.texts.append(a["name"])


def parse_form(html: str) -> AnswerPage:
    page = AnswerPage()
    page.feed(html)
    page.close()
    return page


def fill(page: AnswerPage, rnd: random.Random) -> tuple[dict[str, str], dict]:
    """Answers as a resident gives them: most items rated (mostly 1-2, satisfied), some left blank, a comment now
    and then. Returns the POST fields and what was sent (answers that are not blank, sum of levels)."""
    data = {"csrfmiddlewaretoken": page.csrf}
    levels: dict[str, int] = {}
    for name, values in page.radios.items():
        if rnd.random() < 0.9:
            value = rnd.choices(sorted(values), weights=[6, 5, 2, 1, 1][: len(values)])[0]
            data[name] = value
            levels[name[1:]] = int(value)
    commented = set()
    for name in page.texts:
        if rnd.random() < 0.15:
            data[name] = rnd.choice(["电梯经常停运", "保安很负责", "垃圾清运及时", "希望增加停车位", "维修响应慢"])
            commented.add(name[1:])
    answered = set(levels) | commented
    return data, {"answers": len(answered), "levels": sum(levels.values())}


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[list] = []  # [kind, status, ms]
        self.outcomes: dict[str, dict] = {}

    def add(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.requests.append([kind, status, round(ms, 2)])


def _request(host, port, method, path, *, body=None, headers=None, rec: Recorder, kind: str):
    """One request on its own connection (a resident's phone); (status, headers, text) or status 0."""
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    began = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        status, got = resp.status, resp.getheaders()
    except OSError as exc:  # refused, reset, timed out: recorded as status 0
        status, got, text = 0, [], repr(exc)
    finally:
        conn.close()
    rec.add(kind, status, (time.perf_counter() - began) * 1000)
    return status, got, text


def _cookie(headers: list[tuple[str, str]], name: str) -> str:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def _thanks(status: int, text: str) -> bool:
    # The thanks page has no form; a form shown again (errors) or the "link unavailable" page is not it.
    return status == 200 and "csrfmiddlewaretoken" not in text


def resident(base: str, token: str, rnd: random.Random, rec: Recorder, double: str = "") -> None:
    """One resident: open the link, answer, submit; `double` = "again" (resubmit after the thanks
    page) or "together" (two submissions at the same moment)."""
    url = urlsplit(base)
    host, port = url.hostname, url.port or 80
    path = f"{url.path.rstrip('/')}/s/{token}/"
    status, headers, text = _request(host, port, "GET", path, rec=rec, kind="get")
    out: dict = {"get": status}
    rec.outcomes[token] = out
    if status != 200:
        return
    page = parse_form(text)
    csrf_cookie = _cookie(headers, "csrftoken")
    if not page.csrf or not csrf_cookie or not page.radios:
        out["error"] = "form not understood"
        return
    data, sent = fill(page, rnd)
    out.update(sent)
    body = urlencode(data).encode()
    post_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie}",
    }

    def submit(kind: str, into: list) -> None:
        got, _h, answer = _request(host, port, "POST", path, body=body, headers=post_headers, rec=rec, kind=kind)
        into.append([got, _thanks(got, answer)])

    posts: list = []
    if double == "together":
        barrier = threading.Barrier(2)

        def at_once() -> None:
            barrier.wait()
            submit("post-double", posts)

        pair = [threading.Thread(target=at_once) for _ in range(2)]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
    else:
        submit("post", posts)
        if double == "again" and posts[0][1]:
            submit("post-again", posts)
    out["posts"] = [status for status, _ok in posts]
    out["submitted"] = sum(ok for _status, ok in posts)


def run(base: str, tokens: list[str], *, doubles: int = 0, concurrency: int = 16, cap: float = 180.0, seed: int = 1):
    """Every token once (the first `doubles` of them twice, alternately "again" and "together"), by
    `concurrency` residents at a time; no new resident starts after `cap` seconds. Returns the figures."""
    host = urlsplit(base).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"bench.load_client only sends to loopback addresses, not {host!r}")
    rec = Recorder()
    jobs = [(t, ("again", "together")[i % 2] if i < doubles else "") for i, t in enumerate(tokens)]
    lock = threading.Lock()
    began = time.perf_counter()
    stopped = {"by_cap": False}

    def worker(n: int) -> None:
        rnd = random.Random(seed * 1000 + n)
        while True:
            with lock:
                if not jobs:
                    return
                if time.perf_counter() - began > cap:
                    stopped["by_cap"] = True
                    return
                token, double = jobs.pop(0)
            resident(base, token, rnd, rec, double)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {
        "wall_s": round(wall, 3),
        "stopped_by_cap": stopped["by_cap"],
        "not_started": [t for t, _d in jobs],
        "requests": rec.requests,
        "outcomes": rec.outcomes,
    }


def main() -> int:
    job = json.load(sys.stdin)
    out = run(
        job["base"],
        job["tokens"],
        doubles=job.get("doubles", 0),
        concurrency=job.get("concurrency", 16),
        cap=job.get("cap", 180.0),
        seed=job.get("seed", 1),
    )
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
