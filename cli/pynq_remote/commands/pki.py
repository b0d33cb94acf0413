"""``pynq-remote pki``: the CA, certificates and tokens that secure boards."""

from pathlib import Path

import click

from ..connection.credentials import config_path
from ..security import pki as pki_lib
from .options import json_option


@click.group()
def pki():
    """Make the CA, certificates and tokens that secure boards.

    Start with 'pki init', then 'pynq-remote pair HOST' for each board, or
    'pki server HOST' to make a board's files by hand. Keys are written
    with mode 0600 and never printed.
    """


@pki.command()
@click.option("--name", help="Your identity in the boards' logs (default: user@host).")
@click.option("--force", is_flag=True, help="Replace an existing CA.")
@json_option
@click.pass_obj
def init(ctx, name, force):
    """Create a CA and your operator certificate, and record them in the config."""
    identity = pki_lib.init_pki(name=name, force=force)
    result = {**identity.as_dict(), "ca": str(pki_lib.CertificateAuthority().cert_path),
              "config": str(config_path())}
    ctx.show(result, lambda console: console.print(
        f"CA and operator certificate for [bold]{identity.name}[/bold] in "
        f"{pki_lib.pki_dir()}; recorded in {result['config']}.\n"
        f"Next: pynq-remote pair HOST"))


@pki.command()
@click.argument("name")
@click.option("--role", type=click.Choice(pki_lib.ROLES), default="reader", show_default=True)
@json_option
@click.pass_obj
def client(ctx, name, role):
    """Issue a client certificate for NAME (another user, a CI job)."""
    identity = pki_lib.CertificateAuthority().issue(name, role, f"client-{name}")
    ctx.show(identity.as_dict(), lambda console: console.print(
        f"{role} certificate for {name}: {identity.cert_path} (key {identity.key_path})"))


@pki.command()
@click.argument("hosts", nargs=-1, required=True)
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder for server.pem, server.key and client-ca.pem.")
@json_option
@click.pass_obj
def server(ctx, hosts, out):
    """Make a board's server certificate for HOSTS (names or addresses).

    Copy the three files to the board and start the server with
    --tls-cert server.pem --tls-key server.key --client-ca client-ca.pem.
    """
    ca = pki_lib.CertificateAuthority()
    out = Path(out)
    identity = ca.issue(hosts[0], "", "server", usage="server", hosts=hosts, out=out)
    pki_lib.write_private(out / "client-ca.pem", ca.ca_pem())
    result = {"hosts": list(hosts), "out": str(out), "fingerprint": identity.fingerprint}
    ctx.show(result, lambda console: console.print(
        f"server.pem, server.key and client-ca.pem for {', '.join(hosts)} in {out}"))


@pki.command()
@click.argument("name")
@click.option("--role", type=click.Choice(pki_lib.ROLES), default="reader", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Token file (default: in the PKI "
              "folder as NAME.token).")
@json_option
@click.pass_obj
def token(ctx, name, role, out):
    """Make a bearer token for NAME: the secret goes to a 0600 file, and the
    line for the board's --tokens file (holding only its sha256) is printed."""
    secret, line = pki_lib.new_token(name, role)
    path = Path(out) if out else pki_lib.pki_dir() / f"{name}.token"
    pki_lib.write_private(path, (secret + "\n").encode())
    result = {"name": name, "role": role, "token_file": str(path), "tokens_line": line}
    ctx.show(result, lambda console: console.print(
        f"token in {path}; add this line to the board's --tokens file:\n{line}"))
