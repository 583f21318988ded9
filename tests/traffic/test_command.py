"""`mocksnap traffic` on a terminal: a progress bar on stderr that ends full, then the summary with its
failures; without a terminal, a line at every tenth of the run instead."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

ARGS = ("-m", "mocksnap", "traffic", "--profile", "quiet-saas", "--duration", "1d", "--seed", "7")


def test_on_a_terminal_the_progress_bar_ends_full_and_the_summary_counts_failures() -> None:
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, *ARGS], stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=120
        )
        os.close(terminal)
        terminal = -1
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal is closed and read out
                break
            if not chunk:
                break
            shown += chunk
    finally:
        if terminal != -1:
            os.close(terminal)
        os.close(controller)
    assert done.returncode == 0, shown
    bars = shown.decode().replace("\r\n", "\n").split("\r")
    assert len(bars) > 10  # drawn again and again as the day goes by
    assert bars[1].startswith("[....")
    assert bars[-1].strip() == f"[{'#' * 40}] 100%"
    assert "failures 0" in done.stdout


def test_without_a_terminal_a_line_says_how_far_the_run_has_got_at_every_tenth() -> None:
    done = subprocess.run([sys.executable, *ARGS], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "[" not in done.stderr  # no bar
    shares = [int(line.split()[2].rstrip("%")) for line in done.stderr.splitlines()]
    assert shares == list(range(10, 101, 10))
    assert "failures 0" in done.stdout
