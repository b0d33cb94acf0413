from pynq_remote.v1 import device_pb2 as _device_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UploadBitstreamRequest(_message.Message):
    __slots__ = ("header", "data")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    header: UploadBitstreamHeader
    data: bytes
    def __init__(self, header: _Optional[_Union[UploadBitstreamHeader, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class UploadBitstreamHeader(_message.Message):
    __slots__ = ("sha256", "size")
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    size: int
    def __init__(self, sha256: _Optional[str] = ..., size: _Optional[int] = ...) -> None: ...

class UploadBitstreamResponse(_message.Message):
    __slots__ = ("sha256", "bytes_received")
    SHA256_FIELD_NUMBER: _ClassVar[int]
    BYTES_RECEIVED_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    bytes_received: int
    def __init__(self, sha256: _Optional[str] = ..., bytes_received: _Optional[int] = ...) -> None: ...

class HasBitstreamRequest(_message.Message):
    __slots__ = ("sha256",)
    SHA256_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    def __init__(self, sha256: _Optional[str] = ...) -> None: ...

class HasBitstreamResponse(_message.Message):
    __slots__ = ("present", "size")
    PRESENT_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    present: bool
    size: int
    def __init__(self, present: _Optional[bool] = ..., size: _Optional[int] = ...) -> None: ...

class ProgramBitstreamRequest(_message.Message):
    __slots__ = ("sha256", "partial", "device_tree_overlay", "design_name", "address_map", "interrupts")
    SHA256_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_FIELD_NUMBER: _ClassVar[int]
    DEVICE_TREE_OVERLAY_FIELD_NUMBER: _ClassVar[int]
    DESIGN_NAME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_MAP_FIELD_NUMBER: _ClassVar[int]
    INTERRUPTS_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    partial: bool
    device_tree_overlay: bytes
    design_name: str
    address_map: _containers.RepeatedCompositeFieldContainer[DesignWindow]
    interrupts: _containers.RepeatedCompositeFieldContainer[DesignInterrupt]
    def __init__(self, sha256: _Optional[str] = ..., partial: _Optional[bool] = ..., device_tree_overlay: _Optional[bytes] = ..., design_name: _Optional[str] = ..., address_map: _Optional[_Iterable[_Union[DesignWindow, _Mapping]]] = ..., interrupts: _Optional[_Iterable[_Union[DesignInterrupt, _Mapping]]] = ...) -> None: ...

class DesignInterrupt(_message.Message):
    __slots__ = ("source", "controller", "index")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    source: str
    controller: str
    index: int
    def __init__(self, source: _Optional[str] = ..., controller: _Optional[str] = ..., index: _Optional[int] = ...) -> None: ...

class DesignWindow(_message.Message):
    __slots__ = ("name", "base_address", "size", "ip_type", "parameters")
    class ParametersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    BASE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    IP_TYPE_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    name: str
    base_address: int
    size: int
    ip_type: str
    parameters: _containers.ScalarMap[str, str]
    def __init__(self, name: _Optional[str] = ..., base_address: _Optional[int] = ..., size: _Optional[int] = ..., ip_type: _Optional[str] = ..., parameters: _Optional[_Mapping[str, str]] = ...) -> None: ...

class ProgramBitstreamResponse(_message.Message):
    __slots__ = ("fpga",)
    FPGA_FIELD_NUMBER: _ClassVar[int]
    fpga: _device_pb2.FpgaState
    def __init__(self, fpga: _Optional[_Union[_device_pb2.FpgaState, _Mapping]] = ...) -> None: ...

class GetFpgaStateRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetFpgaStateResponse(_message.Message):
    __slots__ = ("fpga",)
    FPGA_FIELD_NUMBER: _ClassVar[int]
    fpga: _device_pb2.FpgaState
    def __init__(self, fpga: _Optional[_Union[_device_pb2.FpgaState, _Mapping]] = ...) -> None: ...
