"""The ``reuse-lint`` command line.

Heavy imports (LibCST, rich) happen inside the commands, so ``--help`` and a
run over files without candidates stay light. Every failure reaches the user
as one line and an exit code, through ``main``'s single handler.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reuse_lint import __version__
from reuse_lint.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_INTERRUPTED, UsageError

if TYPE_CHECKING:
    from reuse_lint.runner import CheckRun

FORMATS = ("text", "json", "sarif", "github")

#: Paths to analyse. Not checked by click: an unreadable path is reported by
#: the run as one error line while the other paths are still analysed.
PATHS = click.Path(path_type=Path, readable=False)


def _codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reuse-lint")
@click.option("-v", "--verbose", is_flag=True, help="Log diagnostics to stderr.")
def cli(verbose: bool) -> None:
    """Find hand-written PyTorch feed-forward blocks that MLPBlock can replace."""
    if verbose:  # logging is imported only when asked for
        import logging

        logging.basicConfig(
            level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s"
        )


def _check_options(function: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.argument("paths", nargs=-1, type=PATHS),
        click.option("--fix", is_flag=True, help="Apply safe fixes."),
        click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes."),
        click.option(
            "--diff", is_flag=True, help="Print the fixes as a diff; write nothing."
        ),
        click.option(
            "--output-format",
            type=click.Choice(FORMATS),
            default="text",
            show_default=True,
            help="How findings are printed.",
        ),
        click.option(
            "--select", multiple=True, help="Rule codes or prefixes to enable."
        ),
        click.option(
            "--ignore", multiple=True, help="Rule codes or prefixes to disable."
        ),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings."),
        click.option("--statistics", is_flag=True, help="Print counts per rule code."),
        click.option(
            "--no-cache", is_flag=True, help="Neither read nor write the cache."
        ),
        click.option(
            "--no-prefilter",
            is_flag=True,
            help="Analyse every file with full scope analysis (slow).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=0,
            help="Worker processes (0: one per CPU).",
        ),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            show_default=True,
        ),
        click.option(
            "--baseline",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Report only findings not recorded in this baseline file.",
        ),
        click.option(
            "--write-baseline",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Record today's findings in this file and exit 0.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@cli.command()
@_check_options
def check(paths: tuple[Path, ...], **options: object) -> None:
    """Check PATHS (default: the current directory) for replaceable chains."""
    sys.exit(_run_check(paths, options))


@cli.command()
@_check_options
def fix(paths: tuple[Path, ...], **options: object) -> None:
    """Same as ``check --fix``."""
    options["fix"] = True
    sys.exit(_run_check(paths, options))


def _run_check(paths: tuple[Path, ...], options: dict[str, object]) -> int:
    from reuse_lint.runner import CheckSettings, execute, exit_code, write_errors

    settings = CheckSettings(
        paths=list(paths) or [Path(".")],
        select=_codes(options["select"]) or None,  # type: ignore[arg-type]
        ignore=_codes(options["ignore"]),  # type: ignore[arg-type]
        output_format=str(options["output_format"]),
        fix=bool(options["fix"]),
        unsafe_fixes=bool(options["unsafe_fixes"]),
        diff=bool(options["diff"]),
        exit_zero=bool(options["exit_zero"]),
        statistics=bool(options["statistics"]),
        prefilter=not options["no_prefilter"],
        cache=not options["no_cache"],
        jobs=int(options["jobs"]),  # type: ignore[call-overload]
        color=_use_color(str(options["color"]), sys.stdout),
        baseline=options.get("baseline"),  # type: ignore[arg-type]
        write_baseline=options.get("write_baseline"),  # type: ignore[arg-type]
    )
    run = execute(settings)
    write_errors(run)
    if settings.write_baseline is not None:
        return _write_baseline(run, settings.write_baseline)
    _write_output(run, settings)
    from reuse_lint.progress import write_summary

    write_summary(run)
    return exit_code(run, settings)


def _write_baseline(run: CheckRun, path: Path) -> int:
    from reuse_lint.baseline import write_baseline

    count = write_baseline(path, run.findings, run.analyses)
    plural = "s" if count != 1 else ""
    sys.stderr.write(f"Recorded {count} finding{plural} in {path}.\n")
    return EXIT_ERROR if run.errors else EXIT_CLEAN


def _write_output(run: object, settings: object) -> None:
    from reuse_lint.output.text import write_statistics, write_text
    from reuse_lint.runner import CheckRun, CheckSettings

    assert isinstance(run, CheckRun) and isinstance(settings, CheckSettings)
    out = sys.stdout
    if settings.diff:
        out.write("".join(run.diffs))
    elif settings.output_format == "json":
        from reuse_lint.output.json_format import write_json

        write_json(run.findings, out)
    elif settings.output_format == "sarif":
        from reuse_lint.output.sarif import write_sarif

        write_sarif(run.findings, out, run.analyses, run.errors)
    elif settings.output_format == "github":
        from reuse_lint.output.github import write_github

        write_github(run.findings, out, run.errors)
    elif settings.statistics:
        write_statistics(run.findings, out)
    else:
        write_text(run.findings, out, settings.color)
    if run.fixed:
        verb = "Would fix" if settings.diff else "Fixed"
        plural = "s" if run.fixed != 1 else ""
        sys.stderr.write(f"{verb} {run.fixed} chain{plural}.\n")


@cli.command()
@click.argument("code")
def rule(code: str) -> None:
    """Print the document of rule CODE."""
    from reuse_lint.rule_docs import read_rule_doc

    click.echo(read_rule_doc(code.upper()), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=PATHS)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
def verify(paths: tuple[Path, ...], no_cache: bool) -> None:
    """Rebuild each fixable chain and its fix with torch; compare them."""
    from reuse_lint.verify import run_verify

    sys.exit(run_verify(list(paths) or [Path(".")], cache=not no_cache))


@cli.command()
@click.argument("paths", nargs=-1, type=PATHS)
@click.option(
    "--format",
    "output_format",
    default="markdown",
    show_default=True,
    type=click.Choice(["markdown", "json", "html"]),
    help="Report format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of stdout.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
def report(
    paths: tuple[Path, ...], output_format: str, output: Path | None, no_cache: bool
) -> None:
    """Report which components in PATHS can reuse MLPBlock, and why not."""
    from reuse_lint.report.run import run_report

    paths_or_here = list(paths) or [Path(".")]
    sys.exit(run_report(paths_or_here, output_format, output, cache=not no_cache))


def main() -> None:
    """Entry point: run the CLI and map every failure to an exit code."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    except UsageError as error:
        sys.stderr.write(f"error: {error}\n")
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
    except Exception as error:  # the one place an unexpected failure is caught
        import logging

        logging.getLogger("reuse_lint").debug("internal error", exc_info=True)
        sys.stderr.write(f"error: internal error: {type(error).__name__}: {error}\n")
        sys.exit(EXIT_ERROR)
