"""The optional LLM rephraser against a fake chat-completions server (injected transport)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from bot.services.plans.llm import ChatRephraser, LlmConfig, rephraser_from
from bot.services.plans.qa import answer_question
from bot.services.plans.store import import_file
from bot.settings import load_settings
from tests.harness import shipped_content

ANSWER = "Phong trào thi đua được triển khai thực hiện đến hết ngày 14/12/2024."
SOURCES = (ANSWER, "Tham mưu tổ chức sơ kết, tổng kết năm 2024.")


def _completion(text: object) -> dict:
    return {"choices": [{"message": {"role": "assistant", "content": text}}]}


def _rephraser(handler, url="http://llm.test/v1", key: str | None = "sk-test") -> ChatRephraser:
    config = LlmConfig(url, "test-model", SecretStr(key) if key else None, timeout=2)
    return ChatRephraser(config, transport=httpx.MockTransport(handler))


async def test_the_request_carries_the_model_the_key_and_only_the_passages():
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_completion("  Hạn cuối là 14/12/2024.  "))

    text = await _rephraser(server)("han chot la ngay nao", ANSWER, SOURCES)

    assert text == "Hạn cuối là 14/12/2024."
    request = seen[0]
    body = json.loads(request.content)
    assert str(request.url) == "http://llm.test/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test"
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert body["messages"][0]["role"] == "system"
    assert "han chot la ngay nao" in body["messages"][1]["content"]
    assert "[2] Tham mưu tổ chức sơ kết" in body["messages"][1]["content"]


async def test_a_full_endpoint_url_is_used_as_is_and_no_key_sends_no_header():
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=_completion("Đến hết ngày 14/12/2024."))

    url = "http://llm.test/openai/chat/completions"
    await _rephraser(server, url=url, key=None)("q", ANSWER, SOURCES)

    assert str(seen[0].url) == url and "Authorization" not in seen[0].headers


def _raise_connect(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


@pytest.mark.parametrize(
    "server",
    [
        lambda r: httpx.Response(500, text="boom"),
        lambda r: httpx.Response(401, json={"error": "bad key"}),
        lambda r: httpx.Response(200, text="not json"),
        lambda r: httpx.Response(200, json={"choices": []}),
        lambda r: httpx.Response(200, json={"unexpected": True}),
        lambda r: httpx.Response(200, json=_completion(None)),
        lambda r: httpx.Response(200, json=_completion("   ")),
        lambda r: httpx.Response(200, json=_completion("x" * 5000)),
        lambda r: httpx.Response(200, json=_completion("Hạn cuối là 31/12/2025.")),
        _raise_connect,
    ],
    ids="500 401 not-json no-choice wrong-shape null blank too-long invented-date refused".split(),
)
async def test_every_failure_keeps_the_extractive_answer(server):
    assert await _rephraser(server)("q", ANSWER, SOURCES) is None


def test_the_llm_is_off_unless_url_and_model_are_set(monkeypatch):
    for key in ("ATGT_LLM_URL", "ATGT_LLM_MODEL", "ATGT_LLM_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    off = load_settings(_env_file=None)
    monkeypatch.setenv("ATGT_LLM_URL", "http://llm.test/v1")
    monkeypatch.setenv("ATGT_LLM_MODEL", "m")
    monkeypatch.setenv("ATGT_LLM_API_KEY", "sk-secret-value")
    on = load_settings(_env_file=None)

    assert rephraser_from(off.llm_url, off.llm_model, off.llm_api_key) is None
    assert rephraser_from(on.llm_url, None, on.llm_api_key) is None
    assert isinstance(rephraser_from(on.llm_url, on.llm_model, on.llm_api_key), ChatRephraser)
    assert "sk-secret-value" not in repr(on)


async def test_refusals_are_never_sent_to_the_llm(sessionmaker, clock):
    calls = []

    async def rephrase(question, answer, sources):
        calls.append(question)
        return "reworded"

    plans = Path(__file__).resolve().parents[2] / "content" / "plans"
    async with sessionmaker() as session, session.begin():
        await import_file(
            session, path=plans / "so-ngoai-vu-2024.txt", unit_path="Sở Ngoại vụ",
            now=clock(), create_unit=True,
        )  # fmt: skip
        kwargs = {"now": clock(), "unit_path": "Sở Ngoại vụ", "content": shipped_content()}
        found = await answer_question(session, question="han chot", rephrase=rephrase, **kwargs)
        refused = await answer_question(
            session, question="gia xang hom nay", rephrase=rephrase, **kwargs
        )

    assert found.text == "reworded" and found.citation.section == "Mục III.1"
    assert not refused.found and calls == ["han chot"]
