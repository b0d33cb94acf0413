"""pynq_remote picks gRPC's fastest client path itself, before grpc is imported
(pynq_remote.connection.grpc_setup; docs/performance.md)."""

import os
import subprocess
import sys

import pytest

from pynq_remote.connection.grpc_setup import with_our_experiments

# Prints GRPC_EXPERIMENTS as it is when grpc is first imported.
AT_GRPC_IMPORT = """
import os, sys
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "grpc":
            print(os.environ.get("GRPC_EXPERIMENTS"))
sys.meta_path.insert(0, Watch())
import pynq_remote
"""


def experiments_at_grpc_import(user_setting=None):
    env = {k: v for k, v in os.environ.items() if k != "GRPC_EXPERIMENTS"}
    if user_setting is not None:
        env["GRPC_EXPERIMENTS"] = user_setting
    result = subprocess.run([sys.executable, "-c", AT_GRPC_IMPORT], env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout.strip()


def test_importing_pynq_remote_turns_off_the_event_engine_client_before_grpc_loads():
    assert experiments_at_grpc_import() == "-event_engine_client"


def test_the_users_other_experiments_are_kept():
    assert experiments_at_grpc_import("work_serializer_dispatch") == \
        "work_serializer_dispatch,-event_engine_client"


@pytest.mark.parametrize("setting", ["event_engine_client", "-event_engine_client",
                                     " event_engine_client ,x"])
def test_the_users_own_choice_of_the_experiment_wins(setting):
    named = [name.strip() for name in setting.split(",")]
    assert with_our_experiments(setting) == ",".join(named)
