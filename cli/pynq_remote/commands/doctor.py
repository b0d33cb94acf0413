"""``pynq-remote doctor``: what to fix on this host and on the boards."""

import os

import click
from rich.markup import escape

from ..connection.addresses import DEVICES_ENV, default_addresses
from ..tools import doctor as checks
from .options import devices_option, json_option

STYLES = {checks.OK: "green", checks.WARN: "yellow", checks.FAIL: "bold red"}


@click.command()
@devices_option
@json_option
@click.pass_obj
def doctor(ctx):
    """Check this host and the boards; print one line per check, with the fix.

    The host: Python and package versions, credentials (config, certificates,
    key permissions) and what build-image needs. Each board (-d, repeatable;
    default: $PYNQ_REMOTE_DEVICES if set, else none): reachable, API version,
    TLS, clock skew, free buffer memory, FPGA state. Exits with 5 when a check
    fails; warnings alone exit with 0.
    """
    findings = checks.check_host()
    for address in ctx.device_addresses or _default_devices():
        findings += checks.check_device(address)
    failed = checks.failed(findings)
    data = {"ok": not failed, "findings": [f.as_dict() for f in findings]}
    ctx.show(data, lambda console: _render(console, findings))
    if failed:
        names = ", ".join(f"{f.name} ({f.scope})" for f in failed)
        raise checks.ChecksFailed(f"{len(failed)} check(s) failed: {names}")


def _default_devices():
    return default_addresses() if os.environ.get(DEVICES_ENV, "").strip() else []


def _render(console, findings):
    for finding in findings:
        style = STYLES[finding.status]
        line = (f"[{style}]{finding.status:<4}[/] {escape(finding.scope)} "
                f"[bold]{escape(finding.name)}[/]: {escape(finding.detail)}")
        if finding.fix:
            line += f" [{style}]→ fix:[/] {escape(finding.fix)}"
        console.print(line, soft_wrap=True)
