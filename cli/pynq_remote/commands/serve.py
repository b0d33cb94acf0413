"""``pynq-remote serve``: run the simulated board on this machine."""

import signal
import subprocess

import click

from ..errors import PynqRemoteUserError
from ..tools.server import server_command


@click.command()
@click.option("--sim", is_flag=True, help="Serve the simulated board (required: "
              "boards start their own server at boot).")
@click.option("--listen", metavar="HOST:PORT", default="127.0.0.1:7967",
              show_default=True, help="Address to serve on; port 0 picks a free one.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False),
              help="Board description (default: the bundled sim board).")
@click.option("--log-level", type=click.Choice(["error", "warning", "info", "debug"]),
              default="info", show_default=True)
@click.option("--credentials-dir", type=click.Path(file_okay=False),
              help="Serve mutual TLS from this folder; pairs while it is empty.")
@click.option("--tokens", type=click.Path(exists=True, dir_okay=False),
              help="Accept the bearer tokens of this file (pynq-remote pki token); off "
              "loopback with --tls-cert and --tls-key.")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False),
              help="Serve TLS with this certificate (PEM); goes with --tls-key.")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False),
              help="The private key of --tls-cert (PEM, mode 0600).")
@click.option("--client-ca", type=click.Path(exists=True, dir_okay=False),
              help="Accept client certificates signed by this CA (PEM); needs --tls-cert.")
@click.option("--insecure", is_flag=True,
              help="Serve a non-loopback --listen without credentials.")
@click.option("--pynq-remote-compat", "compat", type=click.Choice(["on", "off", "only"]),
              help="Also serve PYNQ.remote's protocol for the `pynq` package (on, the "
              "default on loopback), only that protocol, or not (see docs/compat.md).")
@click.option("--announce", is_flag=True,
              help="Announce the server over mDNS for 'pynq-remote discover' (needs a "
              "network --listen; see docs/discovery.md).")
@click.option("--mdns-name", metavar="NAME",
              help="The name to announce (default BOARD@HOST); implies --announce.")
def serve(sim, listen, config, log_level, credentials_dir, tokens, tls_cert, tls_key,
          client_ca, insecure, compat, announce, mdns_name):
    """Run pynq-remote-server with the simulated board until interrupted.

    The server prints `pynq-remote-server listening on HOST:PORT` when it is
    ready; point clients at it with `-d HOST:PORT` or PYNQ_REMOTE_DEVICES.
    Installed from a wheel, the first run builds the server from the sources
    the wheel carries into ~/.cache/pynq-remote/server/ (a few minutes; it
    names any Debian package the build needs that is missing).
    Like a board, it refuses a non-loopback --listen without TLS and a way
    to authenticate callers (--credentials-dir, or --tls-cert and --tls-key
    with --tokens and/or --client-ca) unless given --insecure.
    """
    if not sim:
        raise PynqRemoteUserError("pass --sim: the host serves only the simulated "
                                  "board (a board's own server starts at boot)")
    extra_args = ["--insecure"] if insecure else []
    if credentials_dir:
        extra_args += ["--credentials-dir", credentials_dir]
    for option, value in (("--tokens", tokens), ("--tls-cert", tls_cert),
                          ("--tls-key", tls_key), ("--client-ca", client_ca)):
        if value:
            extra_args += [option, value]
    if compat:
        extra_args += ["--pynq-remote-compat", compat]
    if announce:
        extra_args += ["--announce", "on"]
    if mdns_name is not None:
        extra_args += ["--mdns-name", mdns_name]
    command = server_command(listen, "sim", config, log_level, extra_args,
                             progress=lambda line: click.echo(line, err=True))
    process = subprocess.Popen(command)
    # Stopping us stops the server: it must not outlive its parent.
    signal.signal(signal.SIGTERM, lambda *_: process.send_signal(signal.SIGTERM))
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        code = process.wait()
    if code not in (0, -signal.SIGINT, -signal.SIGTERM):
        raise PynqRemoteUserError(f"pynq-remote-server exited with code {code}")
