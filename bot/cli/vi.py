"""Vietnamese for typer's own help and usage-error texts (the catalog's CLI_FRAMEWORK table).

Typer ships its own copy of click whose texts are English f-strings, so they are translated
where they are shown: whole messages are matched against the table's English patterns.
"""

from __future__ import annotations

import logging
import re
import sys
from functools import cache

from bot.core.texts import CLI_FRAMEWORK

_FIELD = re.compile(r"\\\{(\w*)\\\}")
# typer.rich_utils computes these once at import.
_RICH_CONSTANTS = (
    "DEPRECATED_STRING",
    "DEFAULT_STRING",
    "ENVVAR_STRING",
    "REQUIRED_LONG_STRING",
    "ARGUMENTS_PANEL_TITLE",
    "OPTIONS_PANEL_TITLE",
    "COMMANDS_PANEL_TITLE",
    "ERRORS_PANEL_TITLE",
    "ABORTED_TEXT",
    "RICH_HELP",
)
_installed: list[bool] = []


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Each English template as a regex whose {fields} match any text; longest first."""
    compiled = []
    for english, vietnamese in CLI_FRAMEWORK.items():
        if "{}" in english:  # a format string used as is (rich constants)
            continue
        regex = _FIELD.sub(lambda m: f"(?P<{m.group(1)}>.+?)", re.escape(english))
        compiled.append((re.compile(f"^{regex}$", re.DOTALL), vietnamese))
    return sorted(compiled, key=lambda item: -len(item[0].pattern))


def translate(message: str) -> str:
    """The Vietnamese form of a framework message (inner messages too), else the message."""
    if message in CLI_FRAMEWORK:
        return CLI_FRAMEWORK[message]
    for pattern, vietnamese in _patterns():
        match = pattern.match(message)
        if match:
            fields = match.groupdict()
            if "message" in fields:
                fields["message"] = translate(fields["message"])
            return vietnamese.format(**fields)
    return message


def show_error(error: object) -> None:
    """Print a usage error: the usage line, the error, where to find help; all Vietnamese."""
    if type(error).__name__ == "NoArgsIsHelpError":  # the help was shown already
        return
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(ctx.get_usage())
    format_message = getattr(error, "format_message", None)
    text = format_message() if format_message else str(error)
    lines.append(f"{CLI_FRAMEWORK['Error']}: {translate(text)}")
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        lines.append(translate(f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help."))
    print("\n".join(lines), file=sys.stderr)


def _translate_types(parameter: type) -> None:
    """Vietnamese value types next to options and arguments (<chữ>, <số nguyên>...)."""
    english = parameter.display_type_rich

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        label = english(self, ctx=ctx)
        if not isinstance(label, str) or label not in CLI_FRAMEWORK:
            return label
        return CLI_FRAMEWORK[label] or None

    parameter.display_type_rich = display_type_rich


def install() -> None:
    """Make typer's help and errors Vietnamese (once per process)."""
    if _installed:
        return
    _installed.append(True)
    try:
        _patch()
    except (ImportError, AttributeError):  # another typer layout: its English texts stay
        logging.getLogger(__name__).debug("typer texts not translated", exc_info=True)


def _patch() -> None:
    from typer import _click, core, rich_utils
    from typer._click import decorators, exceptions, formatting

    for constant in _RICH_CONSTANTS:
        value = getattr(rich_utils, constant, None)
        if isinstance(value, str):
            setattr(rich_utils, constant, CLI_FRAMEWORK.get(value, value))
    rich_utils.rich_format_error = show_error
    exceptions.ClickException.show = lambda self, file=None: show_error(self)  # type: ignore[method-assign]

    for parameter in (core._TyperParameter, core.TyperOption):
        _translate_types(parameter)

    english_usage = formatting.HelpFormatter.write_usage

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english in ("[OPTIONS]", "COMMAND [ARGS]..."):
            args = args.replace(english, CLI_FRAMEWORK.get(english, english))
        english_usage(self, prog, args, CLI_FRAMEWORK["Usage: "] if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    english_help_option = decorators.help_option

    def help_option(param_decls: list[str]):  # type: ignore[no-untyped-def]
        decorate = english_help_option(param_decls)

        def apply(command: _click.Command) -> _click.Command:
            command = decorate(command)
            command.params[-1].help = CLI_FRAMEWORK["Show this message and exit."]
            return command

        return apply

    decorators.help_option = help_option
