"""Just enough of ELF to assemble a RAM-disk: a little-endian file's
(64-bit aarch64 or 32-bit armhf) machine, program interpreter, ``NEEDED`` and ``RUNPATH`` entries, and the
contents of a named section (a kernel module's ``.modinfo``)."""

import dataclasses
import struct

from ..errors import PynqRemoteUserError

EM_ARM = 40
EM_AARCH64 = 183
_PT_LOAD, _PT_DYNAMIC, _PT_INTERP = 1, 2, 3
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_RPATH, _DT_RUNPATH = 0, 1, 5, 15, 29


class ElfError(PynqRemoteUserError):
    """A file is not the little-endian ELF file it should be."""


@dataclasses.dataclass(frozen=True)
class ElfInfo:
    machine: int
    interpreter: str  # "" for static executables and libraries
    needed: tuple
    runpath: tuple  # RUNPATH, else RPATH, split at ":"


class _Reader:
    def __init__(self, data, source):
        self.data = data
        self.source = source
        if data[:4] != b"\x7fELF":
            raise ElfError(f"{source}: not an ELF file")
        if data[4] not in (1, 2) or data[5] != 1:
            raise ElfError(f"{source}: not a little-endian ELF file")
        # The layouts of ELFCLASS32 and ELFCLASS64: addresses are 4 or 8 bytes.
        self.wide = data[4] == 2
        word = "Q" if self.wide else "I"
        self.program_header = "<IIQQQQ" if self.wide else "<IIIIII"
        self.section_header = "<II" + word * 4
        self.dynamic_entry = "<qQ" if self.wide else "<iI"
        self.machine = self.unpack("<H", 18)[0]
        self.phoff, self.shoff = self.unpack("<" + word * 2, 32 if self.wide else 28)
        (self.phentsize, self.phnum, self.shentsize, self.shnum,
         self.shstrndx) = self.unpack("<HHHHH", 54 if self.wide else 42)

    def unpack(self, fmt, offset):
        size = struct.calcsize(fmt)
        if offset < 0 or offset + size > len(self.data):
            raise ElfError(f"{self.source}: truncated at offset {offset:#x}")
        return struct.unpack_from(fmt, self.data, offset)

    def segments(self):
        """(type, offset, vaddr, filesz) of every program header."""
        for i in range(self.phnum):
            fields = self.unpack(self.program_header, self.phoff + i * self.phentsize)
            if self.wide:  # p_flags comes second in ELFCLASS64
                p_type, _flags, offset, vaddr, _paddr, filesz = fields
            else:
                p_type, offset, vaddr, _paddr, filesz, _memsz = fields
            yield p_type, offset, vaddr, filesz

    def file_offset(self, vaddr):
        for p_type, offset, start, filesz in self.segments():
            if p_type == _PT_LOAD and start <= vaddr < start + filesz:
                return offset + vaddr - start
        raise ElfError(f"{self.source}: address {vaddr:#x} is in no loaded segment")

    def string(self, offset):
        end = self.data.find(b"\0", offset)
        if offset >= len(self.data) or end < 0:
            raise ElfError(f"{self.source}: string at {offset:#x} runs off the file")
        return self.data[offset:end].decode("utf-8", "replace")

    def sections(self):
        """(name, offset, size) of every section."""
        headers = [self.unpack(self.section_header, self.shoff + i * self.shentsize)
                   for i in range(self.shnum)]
        if not headers:
            return
        names = headers[self.shstrndx][4]
        for name, _type, _flags, _addr, offset, size in headers:
            yield self.string(names + name), offset, size


def read_elf(data, source="<bytes>"):
    """Returns the ``ElfInfo`` of ELF file contents ``data``."""
    reader = _Reader(data, source)
    interpreter, dynamic = "", []
    for p_type, offset, _vaddr, filesz in reader.segments():
        if p_type == _PT_INTERP:
            interpreter = reader.string(offset)
        elif p_type == _PT_DYNAMIC:
            size = struct.calcsize(reader.dynamic_entry)
            dynamic = [reader.unpack(reader.dynamic_entry, offset + i * size)
                       for i in range(filesz // size)]
    entries = []
    for tag, value in dynamic:
        if tag == _DT_NULL:
            break
        entries.append((tag, value))
    strtab = [value for tag, value in entries if tag == _DT_STRTAB]
    if not strtab:
        return ElfInfo(reader.machine, interpreter, (), ())
    base = reader.file_offset(strtab[0])
    strings = {tag: [reader.string(base + value) for t, value in entries if t == tag]
               for tag in (_DT_NEEDED, _DT_RPATH, _DT_RUNPATH)}
    paths = strings[_DT_RUNPATH] or strings[_DT_RPATH]
    runpath = tuple(p for joined in paths for p in joined.split(":") if p)
    return ElfInfo(reader.machine, interpreter, tuple(strings[_DT_NEEDED]), runpath)


def section(data, name, source="<bytes>"):
    """The bytes of section ``name``, or ``None`` when there is none."""
    reader = _Reader(data, source)
    for section_name, offset, size in reader.sections():
        if section_name == name:
            if offset + size > len(data):
                raise ElfError(f"{source}: section {name} runs off the file")
            return data[offset:offset + size]
    return None


def module_info(data, source="<bytes>"):
    """A kernel module's ``.modinfo`` as a dict (``name``, ``depends``, ...)."""
    raw = section(data, ".modinfo", source)
    if raw is None:
        raise ElfError(f"{source}: not a kernel module (no .modinfo section)")
    info = {}
    for entry in raw.split(b"\0"):
        key, sep, value = entry.decode("utf-8", "replace").partition("=")
        if sep:
            info.setdefault(key, value)
    return info
