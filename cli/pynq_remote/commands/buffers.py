"""``pynq-remote buffers``: DMA buffers on the board, for operators."""

import click
from rich.table import Table

from ..board.buffer import free_buffer, list_buffers
from .options import INTEGER, device_option, json_option


@click.group(invoke_without_command=True)
@device_option
@json_option
@click.pass_context
def buffers(click_ctx):
    """List the board's DMA buffers with owner, size and physical address.

    Buffers belong to the client session that allocated them and are freed
    when it closes or its lease runs out.
    """
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.obj
    entries, pool = list_buffers(ctx.device)
    data = {
        "pool": {"provider": pool.provider, "base_address": pool.base_address,
                 "size": pool.size, "free_bytes": pool.free_bytes,
                 "session_limit_bytes": pool.session_limit_bytes},
        "buffers": [{"handle": b.handle, "size": b.size,
                     "physical_address": b.physical_address, "cacheable": b.cacheable,
                     "session": b.session_label, "client": b.client_name}
                    for b in entries],
    }
    ctx.show(data, lambda console: _render(console, data))


def _render(console, data):
    pool = data["pool"]
    console.print(f"pool: {pool['provider']} at 0x{pool['base_address']:x}, "
                  f"{_mib(pool['free_bytes'])} free of {_mib(pool['size'])}")
    table = Table("handle", "physical address", "size", "session", "client", box=None)
    for entry in data["buffers"]:
        table.add_row(str(entry["handle"]), f"0x{entry['physical_address']:x}",
                      _mib(entry["size"]), entry["session"], entry["client"])
    console.print(table)


def _mib(nbytes):
    return f"{nbytes / (1 << 20):.2f} MiB"


@buffers.command()
@click.argument("handle", type=INTEGER)
@device_option
@click.pass_obj
def free(ctx, handle):
    """Free buffer HANDLE, whichever session owns it."""
    free_buffer(ctx.device, handle, force=True)
