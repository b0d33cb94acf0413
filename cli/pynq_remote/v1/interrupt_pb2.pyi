from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WatchInterruptsRequest(_message.Message):
    __slots__ = ("session_id", "lines", "auto_acknowledge")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    AUTO_ACKNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    lines: _containers.RepeatedScalarFieldContainer[int]
    auto_acknowledge: bool
    def __init__(self, session_id: _Optional[str] = ..., lines: _Optional[_Iterable[int]] = ..., auto_acknowledge: _Optional[bool] = ...) -> None: ...

class WatchInterruptsResponse(_message.Message):
    __slots__ = ("started", "event")
    STARTED_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    started: InterruptSubscriptionStarted
    event: InterruptEvent
    def __init__(self, started: _Optional[_Union[InterruptSubscriptionStarted, _Mapping]] = ..., event: _Optional[_Union[InterruptEvent, _Mapping]] = ...) -> None: ...

class InterruptSubscriptionStarted(_message.Message):
    __slots__ = ("subscription_id",)
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    subscription_id: int
    def __init__(self, subscription_id: _Optional[int] = ...) -> None: ...

class InterruptEvent(_message.Message):
    __slots__ = ("line", "count", "timestamp_unix_ns")
    LINE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_UNIX_NS_FIELD_NUMBER: _ClassVar[int]
    line: int
    count: int
    timestamp_unix_ns: int
    def __init__(self, line: _Optional[int] = ..., count: _Optional[int] = ..., timestamp_unix_ns: _Optional[int] = ...) -> None: ...

class AcknowledgeInterruptRequest(_message.Message):
    __slots__ = ("session_id", "subscription_id", "line")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    subscription_id: int
    line: int
    def __init__(self, session_id: _Optional[str] = ..., subscription_id: _Optional[int] = ..., line: _Optional[int] = ...) -> None: ...

class AcknowledgeInterruptResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListInterruptSubscriptionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListInterruptSubscriptionsResponse(_message.Message):
    __slots__ = ("available_lines", "subscriptions", "open_lines", "reader_threads")
    AVAILABLE_LINES_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    OPEN_LINES_FIELD_NUMBER: _ClassVar[int]
    READER_THREADS_FIELD_NUMBER: _ClassVar[int]
    available_lines: _containers.RepeatedScalarFieldContainer[int]
    subscriptions: _containers.RepeatedCompositeFieldContainer[InterruptSubscription]
    open_lines: int
    reader_threads: int
    def __init__(self, available_lines: _Optional[_Iterable[int]] = ..., subscriptions: _Optional[_Iterable[_Union[InterruptSubscription, _Mapping]]] = ..., open_lines: _Optional[int] = ..., reader_threads: _Optional[int] = ...) -> None: ...

class InterruptSubscription(_message.Message):
    __slots__ = ("subscription_id", "session_label", "client_name", "lines", "events_sent", "auto_acknowledge")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_LABEL_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    EVENTS_SENT_FIELD_NUMBER: _ClassVar[int]
    AUTO_ACKNOWLEDGE_FIELD_NUMBER: _ClassVar[int]
    subscription_id: int
    session_label: str
    client_name: str
    lines: _containers.RepeatedScalarFieldContainer[int]
    events_sent: int
    auto_acknowledge: bool
    def __init__(self, subscription_id: _Optional[int] = ..., session_label: _Optional[str] = ..., client_name: _Optional[str] = ..., lines: _Optional[_Iterable[int]] = ..., events_sent: _Optional[int] = ..., auto_acknowledge: _Optional[bool] = ...) -> None: ...
