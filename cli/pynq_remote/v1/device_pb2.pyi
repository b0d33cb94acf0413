from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FpgaManagerState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FPGA_MANAGER_STATE_UNSPECIFIED: _ClassVar[FpgaManagerState]
    FPGA_MANAGER_STATE_UNKNOWN: _ClassVar[FpgaManagerState]
    FPGA_MANAGER_STATE_OPERATING: _ClassVar[FpgaManagerState]
    FPGA_MANAGER_STATE_UNPROGRAMMED: _ClassVar[FpgaManagerState]
    FPGA_MANAGER_STATE_PROGRAMMING: _ClassVar[FpgaManagerState]
FPGA_MANAGER_STATE_UNSPECIFIED: FpgaManagerState
FPGA_MANAGER_STATE_UNKNOWN: FpgaManagerState
FPGA_MANAGER_STATE_OPERATING: FpgaManagerState
FPGA_MANAGER_STATE_UNPROGRAMMED: FpgaManagerState
FPGA_MANAGER_STATE_PROGRAMMING: FpgaManagerState

class GetInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SinkBytesRequest(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class SinkBytesResponse(_message.Message):
    __slots__ = ("bytes_received",)
    BYTES_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    bytes_received: int
    def __init__(self, bytes_received: _Optional[int] = ...) -> None: ...

class SourceBytesRequest(_message.Message):
    __slots__ = ("size", "chunk_size")
    SIZE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    size: int
    chunk_size: int
    def __init__(self, size: _Optional[int] = ..., chunk_size: _Optional[int] = ...) -> None: ...

class SourceBytesResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class EchoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EchoResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetInfoResponse(_message.Message):
    __slots__ = ("server_version", "api_version", "board", "platform", "backend", "kernel_release", "architecture", "limits", "capabilities", "mmio_windows", "fpga", "server_time_unix_ms", "extensions")
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    API_VERSION_FIELD_NUMBER: _ClassVar[int]
    BOARD_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    BACKEND_FIELD_NUMBER: _ClassVar[int]
    KERNEL_RELEASE_FIELD_NUMBER: _ClassVar[int]
    ARCHITECTURE_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    MMIO_WINDOWS_FIELD_NUMBER: _ClassVar[int]
    FPGA_FIELD_NUMBER: _ClassVar[int]
    SERVER_TIME_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    server_version: str
    api_version: str
    board: str
    platform: str
    backend: str
    kernel_release: str
    architecture: str
    limits: Limits
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    mmio_windows: _containers.RepeatedCompositeFieldContainer[MmioWindow]
    fpga: FpgaState
    server_time_unix_ms: int
    extensions: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, server_version: _Optional[str] = ..., api_version: _Optional[str] = ..., board: _Optional[str] = ..., platform: _Optional[str] = ..., backend: _Optional[str] = ..., kernel_release: _Optional[str] = ..., architecture: _Optional[str] = ..., limits: _Optional[_Union[Limits, _Mapping]] = ..., capabilities: _Optional[_Iterable[str]] = ..., mmio_windows: _Optional[_Iterable[_Union[MmioWindow, _Mapping]]] = ..., fpga: _Optional[_Union[FpgaState, _Mapping]] = ..., server_time_unix_ms: _Optional[int] = ..., extensions: _Optional[_Iterable[str]] = ...) -> None: ...

class Limits(_message.Message):
    __slots__ = ("max_message_bytes", "max_burst_words", "max_batch_steps", "max_poll_timeout_ms", "max_link_test_bytes")
    MAX_MESSAGE_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_BURST_WORDS_FIELD_NUMBER: _ClassVar[int]
    MAX_BATCH_STEPS_FIELD_NUMBER: _ClassVar[int]
    MAX_POLL_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    MAX_LINK_TEST_BYTES_FIELD_NUMBER: _ClassVar[int]
    max_message_bytes: int
    max_burst_words: int
    max_batch_steps: int
    max_poll_timeout_ms: int
    max_link_test_bytes: int
    def __init__(self, max_message_bytes: _Optional[int] = ..., max_burst_words: _Optional[int] = ..., max_batch_steps: _Optional[int] = ..., max_poll_timeout_ms: _Optional[int] = ..., max_link_test_bytes: _Optional[int] = ...) -> None: ...

class MmioWindow(_message.Message):
    __slots__ = ("name", "base_address", "size")
    NAME_FIELD_NUMBER: _ClassVar[int]
    BASE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    name: str
    base_address: int
    size: int
    def __init__(self, name: _Optional[str] = ..., base_address: _Optional[int] = ..., size: _Optional[int] = ...) -> None: ...

class FpgaState(_message.Message):
    __slots__ = ("state", "manager_state", "design_name", "sha256", "partial", "programmed_at_unix_ms")
    STATE_FIELD_NUMBER: _ClassVar[int]
    MANAGER_STATE_FIELD_NUMBER: _ClassVar[int]
    DESIGN_NAME_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_FIELD_NUMBER: _ClassVar[int]
    PROGRAMMED_AT_UNIX_MS_FIELD_NUMBER: _ClassVar[int]
    state: FpgaManagerState
    manager_state: str
    design_name: str
    sha256: str
    partial: bool
    programmed_at_unix_ms: int
    def __init__(self, state: _Optional[_Union[FpgaManagerState, str]] = ..., manager_state: _Optional[str] = ..., design_name: _Optional[str] = ..., sha256: _Optional[str] = ..., partial: _Optional[bool] = ..., programmed_at_unix_ms: _Optional[int] = ...) -> None: ...
