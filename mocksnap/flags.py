"""What every `mocksnap` command's flags share: one line for a bad value, the command's usage for an unknown
flag, and --help that shows each flag's default (and, for `serve`, its MOCKSNAP_* variable)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import NoReturn, TypeVar

T = TypeVar("T")
NO_VARIABLES = "Its flags have no MOCKSNAP_* variables: those set `mocksnap serve`."


class Parser(argparse.ArgumentParser):
    """A bad value gets one line naming its flag and what the flag takes; an unknown or missing flag gets the
    command's usage too."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("argument "):  # a value the flag does not take
            self.exit(2, f"{self.prog}: {message.removeprefix('argument ')}\n")
        self.exit(2, f"{self.format_usage()}{self.prog}: {message} (--help lists every flag)\n")


class Help(argparse.HelpFormatter):
    """--help shows each flag's default and, for `serve`, the MOCKSNAP_* variable that sets it."""

    env_prefix: str | None = None

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if not action.option_strings or action.default is argparse.SUPPRESS:
            return text
        notes = []
        if action.default is not None and action.nargs != 0:  # a switch's default is its absence
            notes.append("default %(default)s")
        if self.env_prefix:
            variable = f"{self.env_prefix}{action.dest.upper()}"
            notes.append(f"{variable}={int(bool(action.const))}" if action.nargs == 0 else variable)
        return f"{text} ({'; '.join(notes)})" if notes else text


class ServeHelp(Help):
    env_prefix = "MOCKSNAP_"


def flag_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """A config.parse_* function as an argparse type: its message, rather than argparse's, on a bad value."""

    def typed(text: str) -> T:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    typed.__name__ = parse.__name__
    return typed
