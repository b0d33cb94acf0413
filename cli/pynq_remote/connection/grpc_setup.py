"""gRPC's process-wide settings, made before anything imports grpc.

The grpcio we pin (1.85) runs its Python client on the EventEngine by
default, which makes one unary call on loopback 15-25% slower than with it
off on a loaded machine, and up to 2x slower on an idle one (issue #21;
docs/performance.md has the measurements). The same release still ships and supports the I/O path
before it, chosen with the experiment ``-event_engine_client``, and that
is what pynq_remote uses. gRPC reads ``GRPC_EXPERIMENTS`` when its core
starts, so ``pynq_remote/__init__.py`` imports this module first of all.
An experiment the user names in ``GRPC_EXPERIMENTS`` keeps the user's
setting.
"""

import os

EXPERIMENTS_ENV = "GRPC_EXPERIMENTS"
# gRPC experiments pynq_remote turns off ("-NAME") or on ("NAME").
EXPERIMENTS = ("-event_engine_client",)


def with_our_experiments(setting):
    """``setting`` (a ``GRPC_EXPERIMENTS`` value) plus ours that it does not name."""
    named = [name.strip() for name in setting.split(",") if name.strip()]
    mentioned = {name.lstrip("-") for name in named}
    return ",".join(named + [name for name in EXPERIMENTS
                             if name.lstrip("-") not in mentioned])


os.environ[EXPERIMENTS_ENV] = with_our_experiments(os.environ.get(EXPERIMENTS_ENV, ""))
