from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetClocksRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetClocksResponse(_message.Message):
    __slots__ = ("cpu_mhz", "pl_clocks")
    CPU_MHZ_FIELD_NUMBER: _ClassVar[int]
    PL_CLOCKS_FIELD_NUMBER: _ClassVar[int]
    cpu_mhz: float
    pl_clocks: _containers.RepeatedCompositeFieldContainer[PlClock]
    def __init__(self, cpu_mhz: _Optional[float] = ..., pl_clocks: _Optional[_Iterable[_Union[PlClock, _Mapping]]] = ...) -> None: ...

class PlClock(_message.Message):
    __slots__ = ("index", "enabled", "source", "source_mhz", "divisor0", "divisor1", "frequency_mhz")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_MHZ_FIELD_NUMBER: _ClassVar[int]
    DIVISOR0_FIELD_NUMBER: _ClassVar[int]
    DIVISOR1_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_MHZ_FIELD_NUMBER: _ClassVar[int]
    index: int
    enabled: bool
    source: str
    source_mhz: float
    divisor0: int
    divisor1: int
    frequency_mhz: float
    def __init__(self, index: _Optional[int] = ..., enabled: _Optional[bool] = ..., source: _Optional[str] = ..., source_mhz: _Optional[float] = ..., divisor0: _Optional[int] = ..., divisor1: _Optional[int] = ..., frequency_mhz: _Optional[float] = ...) -> None: ...

class SetPlClockRequest(_message.Message):
    __slots__ = ("index", "frequency_mhz", "divisor0", "divisor1")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    FREQUENCY_MHZ_FIELD_NUMBER: _ClassVar[int]
    DIVISOR0_FIELD_NUMBER: _ClassVar[int]
    DIVISOR1_FIELD_NUMBER: _ClassVar[int]
    index: int
    frequency_mhz: float
    divisor0: int
    divisor1: int
    def __init__(self, index: _Optional[int] = ..., frequency_mhz: _Optional[float] = ..., divisor0: _Optional[int] = ..., divisor1: _Optional[int] = ...) -> None: ...

class SetPlClockResponse(_message.Message):
    __slots__ = ("clock",)
    CLOCK_FIELD_NUMBER: _ClassVar[int]
    clock: PlClock
    def __init__(self, clock: _Optional[_Union[PlClock, _Mapping]] = ...) -> None: ...
