"""``pynq-remote ext``: the host side of extension services (docs/extensions.md)."""

import click

from ..tools import extbuild
from .options import json_option


@click.group()
def ext():
    """Build the Python stubs of your own remote APIs (extensions)."""


@ext.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--out", type=click.Path(file_okay=False),
              help="Folder for the stubs package (default: PATH/build/python).")
@click.option("--install", "install_it", is_flag=True,
              help="Then pip install the package into this Python.")
@json_option
@click.pass_obj
def build(ctx, path, out, install_it):
    """Generate the Python stubs of the extension in PATH (its proto/ folder).

    The result is importable with the folder on sys.path, and a package
    'pip install' takes.
    """
    package = extbuild.build_stubs(path, out)
    if install_it:
        extbuild.install(package)
    ctx.show({**package.as_dict(), "installed": install_it},
             lambda console: _render(console, package, install_it))


def _render(console, package, installed):
    console.print(f"stubs of {', '.join(package.protos)} in {package.out}", soft_wrap=True)
    for module in package.modules[1::2]:  # the _pb2_grpc ones, beside their _pb2
        parent, name = module.rsplit(".", 1)
        console.print(f"  from {parent} import {name.removesuffix('_grpc')}, {name}",
                      soft_wrap=True)
    if installed:
        console.print(f"installed as {package.name}")
    else:
        console.print(f"install with: pip install {package.out}", soft_wrap=True)
