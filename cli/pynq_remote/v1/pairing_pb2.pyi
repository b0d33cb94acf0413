from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class BeginPairingRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class BeginPairingResponse(_message.Message):
    __slots__ = ("certificate_request",)
    CERTIFICATE_REQUEST_FIELD_NUMBER: _ClassVar[int]
    certificate_request: str
    def __init__(self, certificate_request: _Optional[str] = ...) -> None: ...

class CompletePairingRequest(_message.Message):
    __slots__ = ("code", "certificate", "client_ca")
    CODE_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    CLIENT_CA_FIELD_NUMBER: _ClassVar[int]
    code: str
    certificate: str
    client_ca: str
    def __init__(self, code: _Optional[str] = ..., certificate: _Optional[str] = ..., client_ca: _Optional[str] = ...) -> None: ...

class CompletePairingResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
