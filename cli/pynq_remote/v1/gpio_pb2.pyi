from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GpioDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GPIO_DIRECTION_UNSPECIFIED: _ClassVar[GpioDirection]
    GPIO_DIRECTION_INPUT: _ClassVar[GpioDirection]
    GPIO_DIRECTION_OUTPUT: _ClassVar[GpioDirection]
GPIO_DIRECTION_UNSPECIFIED: GpioDirection
GPIO_DIRECTION_INPUT: GpioDirection
GPIO_DIRECTION_OUTPUT: GpioDirection

class GpioLine(_message.Message):
    __slots__ = ("chip", "chip_label", "offset", "name", "direction", "used", "consumer", "chip_lines")
    CHIP_FIELD_NUMBER: _ClassVar[int]
    CHIP_LABEL_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    CHIP_LINES_FIELD_NUMBER: _ClassVar[int]
    chip: str
    chip_label: str
    offset: int
    name: str
    direction: GpioDirection
    used: bool
    consumer: str
    chip_lines: int
    def __init__(self, chip: _Optional[str] = ..., chip_label: _Optional[str] = ..., offset: _Optional[int] = ..., name: _Optional[str] = ..., direction: _Optional[_Union[GpioDirection, str]] = ..., used: _Optional[bool] = ..., consumer: _Optional[str] = ..., chip_lines: _Optional[int] = ...) -> None: ...

class ListGpioLinesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListGpioLinesResponse(_message.Message):
    __slots__ = ("lines",)
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedCompositeFieldContainer[GpioLine]
    def __init__(self, lines: _Optional[_Iterable[_Union[GpioLine, _Mapping]]] = ...) -> None: ...

class ReadGpioLineRequest(_message.Message):
    __slots__ = ("chip", "offset")
    CHIP_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    chip: str
    offset: int
    def __init__(self, chip: _Optional[str] = ..., offset: _Optional[int] = ...) -> None: ...

class ReadGpioLineResponse(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: int
    def __init__(self, value: _Optional[int] = ...) -> None: ...

class WriteGpioLineRequest(_message.Message):
    __slots__ = ("chip", "offset", "value")
    CHIP_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    chip: str
    offset: int
    value: int
    def __init__(self, chip: _Optional[str] = ..., offset: _Optional[int] = ..., value: _Optional[int] = ...) -> None: ...

class WriteGpioLineResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetGpioDirectionRequest(_message.Message):
    __slots__ = ("chip", "offset", "direction", "value")
    CHIP_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    chip: str
    offset: int
    direction: GpioDirection
    value: int
    def __init__(self, chip: _Optional[str] = ..., offset: _Optional[int] = ..., direction: _Optional[_Union[GpioDirection, str]] = ..., value: _Optional[int] = ...) -> None: ...

class SetGpioDirectionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetSimulatedInputRequest(_message.Message):
    __slots__ = ("axi_gpio", "line")
    AXI_GPIO_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    axi_gpio: SimulatedAxiGpioInput
    line: SimulatedLineInput
    def __init__(self, axi_gpio: _Optional[_Union[SimulatedAxiGpioInput, _Mapping]] = ..., line: _Optional[_Union[SimulatedLineInput, _Mapping]] = ...) -> None: ...

class SimulatedAxiGpioInput(_message.Message):
    __slots__ = ("window", "channel", "value")
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    window: str
    channel: int
    value: int
    def __init__(self, window: _Optional[str] = ..., channel: _Optional[int] = ..., value: _Optional[int] = ...) -> None: ...

class SimulatedLineInput(_message.Message):
    __slots__ = ("chip", "offset", "value")
    CHIP_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    chip: str
    offset: int
    value: int
    def __init__(self, chip: _Optional[str] = ..., offset: _Optional[int] = ..., value: _Optional[int] = ...) -> None: ...

class SetSimulatedInputResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
