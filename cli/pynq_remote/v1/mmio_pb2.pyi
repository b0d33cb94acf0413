from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Width(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WIDTH_UNSPECIFIED: _ClassVar[Width]
    WIDTH_8: _ClassVar[Width]
    WIDTH_16: _ClassVar[Width]
    WIDTH_32: _ClassVar[Width]
    WIDTH_64: _ClassVar[Width]
WIDTH_UNSPECIFIED: Width
WIDTH_8: Width
WIDTH_16: Width
WIDTH_32: Width
WIDTH_64: Width

class ReadRequest(_message.Message):
    __slots__ = ("address", "width")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ...) -> None: ...

class ReadResponse(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: int
    def __init__(self, value: _Optional[int] = ...) -> None: ...

class WriteRequest(_message.Message):
    __slots__ = ("address", "width", "value")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    value: int
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ..., value: _Optional[int] = ...) -> None: ...

class WriteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadBlockRequest(_message.Message):
    __slots__ = ("address", "width", "count")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    count: int
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ..., count: _Optional[int] = ...) -> None: ...

class ReadBlockResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class WriteBlockRequest(_message.Message):
    __slots__ = ("address", "width", "data")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    data: bytes
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ..., data: _Optional[bytes] = ...) -> None: ...

class WriteBlockResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class BatchRequest(_message.Message):
    __slots__ = ("steps",)
    STEPS_FIELD_NUMBER: _ClassVar[int]
    steps: _containers.RepeatedCompositeFieldContainer[BatchStep]
    def __init__(self, steps: _Optional[_Iterable[_Union[BatchStep, _Mapping]]] = ...) -> None: ...

class BatchStep(_message.Message):
    __slots__ = ("read", "write", "modify", "poll")
    READ_FIELD_NUMBER: _ClassVar[int]
    WRITE_FIELD_NUMBER: _ClassVar[int]
    MODIFY_FIELD_NUMBER: _ClassVar[int]
    POLL_FIELD_NUMBER: _ClassVar[int]
    read: ReadStep
    write: WriteStep
    modify: ModifyStep
    poll: PollStep
    def __init__(self, read: _Optional[_Union[ReadStep, _Mapping]] = ..., write: _Optional[_Union[WriteStep, _Mapping]] = ..., modify: _Optional[_Union[ModifyStep, _Mapping]] = ..., poll: _Optional[_Union[PollStep, _Mapping]] = ...) -> None: ...

class ReadStep(_message.Message):
    __slots__ = ("address", "width")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ...) -> None: ...

class WriteStep(_message.Message):
    __slots__ = ("address", "width", "value")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    value: int
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ..., value: _Optional[int] = ...) -> None: ...

class ModifyStep(_message.Message):
    __slots__ = ("address", "width", "mask", "value")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    MASK_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    mask: int
    value: int
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ..., mask: _Optional[int] = ..., value: _Optional[int] = ...) -> None: ...

class PollStep(_message.Message):
    __slots__ = ("address", "width", "mask", "expected", "timeout_ms", "interval_us")
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    MASK_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_US_FIELD_NUMBER: _ClassVar[int]
    address: int
    width: Width
    mask: int
    expected: int
    timeout_ms: int
    interval_us: int
    def __init__(self, address: _Optional[int] = ..., width: _Optional[_Union[Width, str]] = ..., mask: _Optional[int] = ..., expected: _Optional[int] = ..., timeout_ms: _Optional[int] = ..., interval_us: _Optional[int] = ...) -> None: ...

class BatchResponse(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, values: _Optional[_Iterable[int]] = ...) -> None: ...
