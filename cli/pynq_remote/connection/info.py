"""What a device reports about itself, as plain data classes.

pb2 types stay at the edge: ``from_pb2``/``as_pb2`` convert at the call site.
"""

import dataclasses

from ..v1 import device_pb2


@dataclasses.dataclass(frozen=True)
class MmioWindow:
    name: str
    base_address: int
    size: int

    def contains(self, address, size=1):
        return (self.base_address <= address
                and address + size <= self.base_address + self.size)

    @classmethod
    def from_pb2(cls, msg):
        return cls(msg.name, msg.base_address, msg.size)

    def as_pb2(self):
        return device_pb2.MmioWindow(name=self.name, base_address=self.base_address,
                                     size=self.size)


@dataclasses.dataclass(frozen=True)
class Limits:
    max_message_bytes: int
    max_burst_words: int
    max_batch_steps: int
    max_poll_timeout_ms: int
    max_link_test_bytes: int

    @classmethod
    def from_pb2(cls, msg):
        return cls(msg.max_message_bytes, msg.max_burst_words, msg.max_batch_steps,
                   msg.max_poll_timeout_ms, msg.max_link_test_bytes)

    def as_pb2(self):
        return device_pb2.Limits(**dataclasses.asdict(self))


@dataclasses.dataclass(frozen=True)
class FpgaState:
    state: str  # "operating", "unprogrammed", "programming" or "unknown"
    manager_state: str
    design_name: str
    sha256: str = ""
    partial: bool = False
    programmed_at_unix_ms: int = 0

    @classmethod
    def from_pb2(cls, msg):
        name = device_pb2.FpgaManagerState.Name(msg.state)
        state = name.removeprefix("FPGA_MANAGER_STATE_").lower()
        return cls(state, msg.manager_state, msg.design_name, msg.sha256, msg.partial,
                   msg.programmed_at_unix_ms)

    def as_pb2(self):
        state = device_pb2.FpgaManagerState.Value(
            "FPGA_MANAGER_STATE_" + self.state.upper())
        return device_pb2.FpgaState(state=state, manager_state=self.manager_state,
                                    design_name=self.design_name, sha256=self.sha256,
                                    partial=self.partial,
                                    programmed_at_unix_ms=self.programmed_at_unix_ms)


@dataclasses.dataclass(frozen=True)
class DeviceInfo:
    server_version: str
    api_version: str
    board: str
    platform: str
    backend: str
    kernel_release: str
    architecture: str
    limits: Limits
    capabilities: tuple
    mmio_windows: tuple
    fpga: FpgaState
    extensions: tuple = ()  # full names of the extension services

    @classmethod
    def from_pb2(cls, msg):
        return cls(
            server_version=msg.server_version,
            api_version=msg.api_version,
            board=msg.board,
            platform=msg.platform,
            backend=msg.backend,
            kernel_release=msg.kernel_release,
            architecture=msg.architecture,
            limits=Limits.from_pb2(msg.limits),
            capabilities=tuple(msg.capabilities),
            mmio_windows=tuple(MmioWindow.from_pb2(w) for w in msg.mmio_windows),
            fpga=FpgaState.from_pb2(msg.fpga),
            extensions=tuple(msg.extensions),
        )

    def as_pb2(self):
        return device_pb2.GetInfoResponse(
            server_version=self.server_version,
            api_version=self.api_version,
            board=self.board,
            platform=self.platform,
            backend=self.backend,
            kernel_release=self.kernel_release,
            architecture=self.architecture,
            limits=self.limits.as_pb2(),
            capabilities=list(self.capabilities),
            mmio_windows=[w.as_pb2() for w in self.mmio_windows],
            fpga=self.fpga.as_pb2(),
            extensions=list(self.extensions),
        )

    def as_dict(self):
        return dataclasses.asdict(self)
