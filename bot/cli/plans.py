"""`atgt plan import|show` and `atgt ask`: store plan documents and question them."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import content_dirs
from bot.cli.common import fail, in_session, out, settings
from bot.content import ContentError, load_content
from bot.core.ids import parse_int
from bot.core.texts import t
from bot.db.models import Plan
from bot.services.org import UnitPathError, find_unit, require_unit
from bot.services.plans import PlanFileError, format_plan, parse_plans
from bot.services.plans.citations import clip
from bot.services.plans.llm import rephraser_from
from bot.services.plans.qa import answer_question
from bot.services.plans.results import Answer
from bot.services.plans.store import (
    ParsedDocument,
    UnknownUnitError,
    get_plan,
    list_plans,
    parse_file,
    plans_for_unit,
    remove_plan,
    same_number,
    store_documents,
    target_unit,
)

plan_app = typer.Typer(help="Kế hoạch thi đua: nhập văn bản và xem nội dung.", no_args_is_help=True)


@plan_app.command("import")
def plan_import(
    files: Annotated[list[Path], typer.Argument(help="Tệp .txt, .docx hoặc .pdf.")],
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị áp dụng, ví dụ “Sở A/Phòng B”.")],
    create_unit: Annotated[
        bool, typer.Option("--create-unit", help="Tạo đơn vị nếu chưa có.")
    ] = False,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Thay kế hoạch cũ cùng số hiệu của đơn vị bằng bản mới."),
    ] = False,
) -> None:
    """Nhập kế hoạch cho một đơn vị (và các đơn vị cấp dưới); nhập lại không tạo bản trùng."""
    parsed = {path: _parse_or_fail(path) for path in files}
    now = datetime.now(UTC)
    if not replace:
        replace = _confirm_replacing(parsed, unit)

    async def work(session: AsyncSession) -> list[str]:
        target = await target_unit(session, path=unit, create=create_unit)
        lines = []
        for path, documents in parsed.items():
            result = await store_documents(
                session,
                unit=target,
                file_name=path.name,
                documents=documents,
                now=now,
                replace=replace,
            )
            lines += [t("cli.plan_replaced", id=p.id, label=_label(p)) for p in result.replaced]
            created, existing = len(result.created), len(result.existing)
            lines.append(
                t(
                    "cli.plan_imported",
                    file=path.name,
                    unit=target.path,
                    created=created,
                    existing=existing,
                )
            )
        return lines

    try:
        lines = in_session(work)
    except UnknownUnitError as exc:
        raise fail(t("cli.plan_unit_unknown", path=exc.path)) from None
    except UnitPathError:
        raise fail(t("cli.unit_unknown", path=unit)) from None
    for line in lines:
        out.print(line, markup=False)


def _confirm_replacing(parsed: dict[Path, list[ParsedDocument]], unit: str) -> bool:
    """When the unit holds an older version of a document (same number), ask whether to
    replace it; without a terminal to ask on, stop and name --replace."""

    async def older(session: AsyncSession) -> list[str]:
        target = await find_unit(session, path=unit)
        if target is None:
            return []
        found: dict[int, str] = {}
        for documents in parsed.values():
            for document in documents:
                for plan in await same_number(session, unit=target, document=document):
                    found[plan.id] = t(
                        "cli.plan_same_number",
                        unit=unit,
                        number=plan.number,
                        id=plan.id,
                        file=plan.file_name,
                    )
        return list(found.values())

    try:
        notes = in_session(older, commit=False)
    except UnitPathError:
        raise fail(t("cli.unit_unknown", path=unit)) from None
    if not notes:
        return False
    for note in notes:
        out.print(note, markup=False)
    if sys.stdin.isatty() and typer.confirm(t("cli.plan_replace_ask"), default=False):
        return True
    raise fail(t("cli.plan_replace_hint"))


def _label(plan: Plan) -> str:
    """A plan's number, else its title or file name, shortened."""
    return plan.number or clip(plan.title or plan.file_name, 100)


def _parse_or_fail(path: Path) -> list[ParsedDocument]:
    """Every document of a file, or stop naming the file before anything is written."""
    try:
        return parse_file(path)
    except PlanFileError as exc:
        raise fail(str(exc)) from None


@plan_app.command("show")
def plan_show(
    target: Annotated[
        str | None, typer.Argument(help="Số hiệu kế hoạch (#id) hoặc đường dẫn tệp.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Các kế hoạch áp dụng cho đơn vị này.")
    ] = None,
) -> None:
    """In tóm tắt kế hoạch: theo #id, theo tệp, theo đơn vị, hoặc danh sách tất cả."""
    if target and not target.lstrip("#").isdigit():
        for item in _parse_or_fail(Path(target)):
            out.print(format_plan(item.doc), markup=False, highlight=False)
        return
    if target:
        plan_id = int(target.lstrip("#"))
        shown = in_session(lambda s: _one(s, plan_id), commit=False)
        if not shown:
            raise fail(t("cli.plan_id_unknown", id=plan_id))
    elif unit:
        shown = in_session(lambda s: _of_unit(s, unit), commit=False)
        if not shown:
            raise fail(t("cli.plan_none_for_unit", path=unit))
    else:
        shown = in_session(_listing, commit=False) or [t("cli.plan_none")]
    for block in shown:
        out.print(block, markup=False, highlight=False)


def _summary(plan: Plan) -> str:
    """A header line naming the stored plan, then format_plan of its text."""
    header = t("cli.plan_header", id=plan.id, unit=plan.unit.path, file=plan.file_name)
    return f"{header}\n{format_plan(parse_plans(plan.text)[0])}"


async def _one(session: AsyncSession, plan_id: int) -> list[str]:
    plan = await get_plan(session, plan_id=plan_id)
    return [_summary(plan)] if plan else []


async def _of_unit(session: AsyncSession, unit: str) -> list[str]:
    found = await find_unit(session, path=unit)  # a path below any unit uses its nearest plans
    path = found.path if found is not None else unit
    return [_summary(plan) for plan in await plans_for_unit(session, unit_path=path)]


async def _listing(session: AsyncSession) -> list[str]:
    """One line per stored plan, grouped by unit."""
    lines, unit = [], None
    for plan in await list_plans(session):
        if plan.unit.path != unit:
            unit = plan.unit.path
            lines.append(t("cli.plan_list", unit=unit))
        lines.append(t("cli.plan_row_file", id=plan.id, label=_label(plan), file=plan.file_name))
    return lines


@plan_app.command("list")
def plan_list(
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Chỉ các kế hoạch áp dụng cho đơn vị này (kể cả cấp trên)."),
    ] = None,
) -> None:
    """Liệt kê kế hoạch: tất cả theo đơn vị, hoặc các kế hoạch áp dụng cho một đơn vị."""
    if unit is None:
        lines = in_session(_listing, commit=False) or [t("cli.plan_none")]
    else:

        async def applying(session: AsyncSession) -> list[str]:
            if await find_unit(session, path=unit) is None:
                raise UnknownUnitError(unit)
            plans = await plans_for_unit(session, unit_path=unit)
            rows = [
                t("cli.plan_row_unit", id=p.id, label=_label(p), unit=p.unit.path) for p in plans
            ]
            return [t("cli.plan_applies", unit=unit), *rows] if rows else []

        try:
            lines = in_session(applying, commit=False)
        except (UnknownUnitError, UnitPathError):
            raise fail(t("cli.unit_unknown", path=unit)) from None
        if not lines:
            raise fail(t("cli.plan_none_for_unit", path=unit))
    for line in lines:
        out.print(line, markup=False, highlight=False)


@plan_app.command("remove")
def plan_remove(
    plan_id: Annotated[str, typer.Argument(help="Mã kế hoạch (#id, xem: atgt plan list).")],
) -> None:
    """Xoá một kế hoạch đã nhập (bot không còn trả lời theo kế hoạch đó)."""
    number = parse_int(plan_id.lstrip("#"))
    if number is None:
        raise fail(t("cli.plan_id_unknown", id=plan_id.lstrip("#")))

    async def work(session: AsyncSession) -> str | None:
        plan = await remove_plan(session, plan_id=number)
        if plan is None:
            return None
        return t("cli.plan_removed", id=plan.id, label=_label(plan), unit=plan.unit.path)

    line = in_session(work)
    if line is None:
        raise fail(t("cli.plan_id_unknown", id=number))
    out.print(line, markup=False, highlight=False)


def ask(
    question: Annotated[str, typer.Argument(help="Câu hỏi, có dấu hoặc không dấu.")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="Hỏi như người của đơn vị này.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
) -> None:
    """Hỏi đáp về kế hoạch và luật giao thông, kèm trích dẫn nguồn."""
    config = settings()
    try:
        content = load_content(content_dirs(config))
    except ContentError as exc:
        raise fail(t("cli.content_refused", issues=exc), 2) from None
    rephrase = rephraser_from(config.llm_url, config.llm_model, config.llm_api_key)

    async def work(session: AsyncSession) -> Answer:
        found = await require_unit(session, path=unit) if unit is not None else None
        return await answer_question(
            session,
            now=datetime.now(UTC),
            question=question,
            unit_path=found.path if found is not None else None,
            content=content,
            timezone=config.timezone,
            rephrase=rephrase,
        )

    try:
        answer = in_session(work, commit=False)
    except (UnknownUnitError, UnitPathError):
        raise fail(t("cli.unit_unknown", path=unit)) from None
    if as_json:
        typer.echo(json.dumps(answer.as_json(), ensure_ascii=False))
        return
    _print_answer(answer)


def _print_answer(answer: Answer) -> None:
    """The answer and its source, or the refusal and the suggestions."""
    out.print(answer.text, markup=False, highlight=False)
    if answer.citation is not None:
        cite = answer.citation
        out.print(
            t("qa.source", document=cite.document, section=cite.section),
            markup=False,
            highlight=False,
        )
    if answer.suggestions:
        items = "; ".join(s.label for s in answer.suggestions)
        out.print(t("cli.ask_suggestions", items=items), markup=False, highlight=False)
