from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SyncDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYNC_DIRECTION_UNSPECIFIED: _ClassVar[SyncDirection]
    SYNC_DIRECTION_TO_DEVICE: _ClassVar[SyncDirection]
    SYNC_DIRECTION_FROM_DEVICE: _ClassVar[SyncDirection]
SYNC_DIRECTION_UNSPECIFIED: SyncDirection
SYNC_DIRECTION_TO_DEVICE: SyncDirection
SYNC_DIRECTION_FROM_DEVICE: SyncDirection

class Buffer(_message.Message):
    __slots__ = ("handle", "size", "physical_address", "cacheable", "session_label", "client_name")
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CACHEABLE_FIELD_NUMBER: _ClassVar[int]
    SESSION_LABEL_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    handle: int
    size: int
    physical_address: int
    cacheable: bool
    session_label: str
    client_name: str
    def __init__(self, handle: _Optional[int] = ..., size: _Optional[int] = ..., physical_address: _Optional[int] = ..., cacheable: _Optional[bool] = ..., session_label: _Optional[str] = ..., client_name: _Optional[str] = ...) -> None: ...

class AllocateBufferRequest(_message.Message):
    __slots__ = ("session_id", "size", "alignment", "cacheable")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    ALIGNMENT_FIELD_NUMBER: _ClassVar[int]
    CACHEABLE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    size: int
    alignment: int
    cacheable: bool
    def __init__(self, session_id: _Optional[str] = ..., size: _Optional[int] = ..., alignment: _Optional[int] = ..., cacheable: _Optional[bool] = ...) -> None: ...

class AllocateBufferResponse(_message.Message):
    __slots__ = ("buffer",)
    BUFFER_FIELD_NUMBER: _ClassVar[int]
    buffer: Buffer
    def __init__(self, buffer: _Optional[_Union[Buffer, _Mapping]] = ...) -> None: ...

class WriteBufferRequest(_message.Message):
    __slots__ = ("session_id", "handle", "offset", "data")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    handle: int
    offset: int
    data: bytes
    def __init__(self, session_id: _Optional[str] = ..., handle: _Optional[int] = ..., offset: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class WriteBufferResponse(_message.Message):
    __slots__ = ("bytes_written",)
    BYTES_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    bytes_written: int
    def __init__(self, bytes_written: _Optional[int] = ...) -> None: ...

class ReadBufferRequest(_message.Message):
    __slots__ = ("session_id", "handle", "offset", "length")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    handle: int
    offset: int
    length: int
    def __init__(self, session_id: _Optional[str] = ..., handle: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class ReadBufferResponse(_message.Message):
    __slots__ = ("offset", "data")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    offset: int
    data: bytes
    def __init__(self, offset: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class SyncBufferRequest(_message.Message):
    __slots__ = ("session_id", "handle", "direction", "offset", "length")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    handle: int
    direction: SyncDirection
    offset: int
    length: int
    def __init__(self, session_id: _Optional[str] = ..., handle: _Optional[int] = ..., direction: _Optional[_Union[SyncDirection, str]] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class SyncBufferResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class FreeBufferRequest(_message.Message):
    __slots__ = ("session_id", "handle", "force")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    handle: int
    force: bool
    def __init__(self, session_id: _Optional[str] = ..., handle: _Optional[int] = ..., force: _Optional[bool] = ...) -> None: ...

class FreeBufferResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListBuffersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListBuffersResponse(_message.Message):
    __slots__ = ("buffers", "pool")
    BUFFERS_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    buffers: _containers.RepeatedCompositeFieldContainer[Buffer]
    pool: MemoryPool
    def __init__(self, buffers: _Optional[_Iterable[_Union[Buffer, _Mapping]]] = ..., pool: _Optional[_Union[MemoryPool, _Mapping]] = ...) -> None: ...

class MemoryPool(_message.Message):
    __slots__ = ("provider", "base_address", "size", "free_bytes", "session_limit_bytes")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    BASE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    FREE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SESSION_LIMIT_BYTES_FIELD_NUMBER: _ClassVar[int]
    provider: str
    base_address: int
    size: int
    free_bytes: int
    session_limit_bytes: int
    def __init__(self, provider: _Optional[str] = ..., base_address: _Optional[int] = ..., size: _Optional[int] = ..., free_bytes: _Optional[int] = ..., session_limit_bytes: _Optional[int] = ...) -> None: ...
